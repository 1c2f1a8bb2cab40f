"""Laissez-passer benchmark: PDF rendering time and verification time (targets: PDF ≤ 300 ms,
verification ≤ 10 ms). Not a test: prints figures and the machine.

    .venv/bin/python bench/documents/lpc_bench.py [--pdf 30] [--verify 2000]

Runs on a throw-away SQLite database and data directory (nothing of ./var is touched): it loads the
reference data, walks one case to "identified" through the real actions, issues an LPC with a photo,
then measures
  - seal_check (offline: decode + ECDSA P-256 verification with the public keys only),
  - lpc_verify  (online, what the public page does: seal_check + one indexed query + status),
  - lpc_verify by number and check code (no signature),
  - lpc_pdf     (HTML → PDF with WeasyPrint, QR code, photo; warm, one font configuration per process),
and reports the first (cold) PDF apart.
"""

import argparse
import io
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(
            next(
                row for row in Path("/proc/meminfo").read_text().splitlines() if row.startswith("MemTotal")
            ).split()[1]
        )
        ram = f"{kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores, {ram}, Python {platform.python_version()}"


def stats(name: str, timings: list[tuple[float, float]], target: float | None = None) -> None:
    """Wall-clock and CPU time of this process: on a shared machine the CPU time is what the code
    costs, the wall time adds the waiting for a core."""
    wall = sorted(w for w, _c in timings)
    cpu = sorted(c for _w, c in timings)
    p95 = wall[int(0.95 * (len(wall) - 1))]
    cpu_p95 = cpu[int(0.95 * (len(cpu) - 1))]
    verdict = ""
    if target is not None:
        verdict = f"  target {target:g} ms: wall p95 {'OK' if p95 <= target else 'OVER'}, cpu p95 {'OK' if cpu_p95 <= target else 'OVER'}"
    print(
        f"{name:<40} n={len(wall):<5} wall median {statistics.median(wall):8.3f} p95 {p95:8.3f} | "
        f"cpu median {statistics.median(cpu):8.3f} p95 {cpu_p95:8.3f} ms{verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", type=int, default=30, help="PDF renderings to time")
    parser.add_argument("--verify", type=int, default=2000, help="verifications to time")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="gmmp-bench-lpc-")
    os.environ["GMMP_DATA_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gmmp.settings"
    os.environ.setdefault("GMMP_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    import logging

    logging.disable(logging.INFO)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=io.StringIO())

    from PIL import Image, ImageDraw

    from gmmp.cases import actions
    from gmmp.cases.enums import Decision
    from gmmp.documents.keys import key_store
    from gmmp.documents.render import lpc_pdf
    from gmmp.documents.seal import seal_check
    from gmmp.documents.selectors import lpc_current, lpc_verify
    from gmmp.organisations.models import Organisation, User
    from tests.factories import case_data

    pref = User.objects.create(
        username="bench_pref", organisation=Organisation.objects.get(code="PREF-75"), role="agent"
    )
    cons = User.objects.create(
        username="bench_cons",
        organisation=Organisation.objects.get(code="CG-PARIS"),
        role="agent",
        first_name="Nadia",
        last_name="Bennani",
    )
    import datetime as dt

    from gmmp.core import clock

    today = clock.today()
    case = actions.case_create(
        user=pref,
        data=case_data(
            removal_order_date=today - dt.timedelta(days=20), detention_start=today - dt.timedelta(days=5)
        ),
    )
    actions.case_submit(case=case, user=pref)
    actions.case_decide(case=case, user=cons, decision=Decision.IDENTIFIED)
    image = Image.new("RGB", (600, 750), (220, 220, 215))
    ImageDraw.Draw(image).ellipse((170, 110, 430, 450), fill=(150, 120, 100))
    buf = io.BytesIO()
    image.save(buf, format="JPEG")
    actions.case_issue_laissez_passer(
        case=case, user=cons, photo=buf.getvalue(), holder_name_ar="محمد الإدريسي"
    )
    lpc = lpc_current(case)
    keys = key_store().public_keys()

    print(f"Machine: {machine()}; load average at start {os.getloadavg()[0]:.2f}")
    print(f"Seal: {len(lpc.seal)} characters; database SQLite (throw-away), data dir {tmp}")

    def timed(fn, n):
        out = []
        for _ in range(n):
            t, c = time.perf_counter(), time.process_time()
            fn()
            out.append(((time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000))
        return out

    stats(
        "seal_check (offline, signature)", timed(lambda: seal_check(lpc.seal, keys, today), args.verify), 10
    )
    stats("lpc_verify by seal (public page logic)", timed(lambda: lpc_verify(text=lpc.seal), args.verify), 10)
    stats(
        "lpc_verify by number + check code",
        timed(lambda: lpc_verify(number=lpc.number, check_code=lpc.check_code), args.verify),
        10,
    )

    url = "https://gmmp.example/lpc/verify/"
    t = time.perf_counter()
    pdf = lpc_pdf(lpc, verify_url=url)
    print(
        f"{'lpc_pdf first call (cold: fonts, imports)':<40} {(time.perf_counter() - t) * 1000:8.1f} ms, {len(pdf)} bytes"
    )
    stats("lpc_pdf (warm)", timed(lambda: lpc_pdf(lpc, verify_url=url), args.pdf), 300)
    print(f"Load average at end {os.getloadavg()[0]:.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""CPU per request of one page kind, in one Django process (the test client), against the load bench's
PostgreSQL data: no gunicorn, no network, so the figure barely moves with the machine's load.

usage (after bench/load/run.sh has generated the data; PostgreSQL started with bench/indicators/pg.sh):
  DATABASE_URL=postgres://gmmp@127.0.0.1:55440/gmmp_bench GMMP_DATA_DIR=/tmp/gmmp-load-data \\
    .venv/bin/python bench/load/inprocess.py --kind case --n 40 [--before-collab]

--kind case: the case page (DGEF, random references); list: the national list (DGEF).
--full-count: the list counts every row (before the capped count).
--before-collab: the collaboration panel and the bell as they were before session 3's change (six
queries and one count per inclusion tag), for an A/B in the same process and data.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmmp.settings")
import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def _before_collab() -> None:
    """Put back the panel's and the bell's former code (copied from main before this change)."""
    from gmmp.cases.models import Case
    from gmmp.collab import perms
    from gmmp.collab.enums import EscalationState
    from gmmp.collab.models import CaseMessage, Escalation, Interview
    from gmmp.collab.selectors import thread_unread_count
    from gmmp.notifications.selectors import unread_count
    from gmmp.www.notifications import context
    from gmmp.www.templatetags import collab_tags

    def summary(*, user, case):
        may_thread = Case.objects.filter(perms.thread_visibility_filter(user), pk=case.pk).exists()
        return {
            "thread": may_thread,
            "messages": CaseMessage.objects.filter(case=case).count() if may_thread else 0,
            "unread": thread_unread_count(user=user, case=case) if may_thread else 0,
            "interviews": Interview.objects.filter(case=case).count(),
            "open_escalation": Escalation.objects.filter(case=case, state=EscalationState.OPEN).first(),
            "protection": perms.protection_may_read(user, case),
        }

    def bell(request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {}
        return {"unread_notifications": unread_count(user=user)}

    collab_tags.case_collab_summary = summary
    context.bell = bell


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", choices=["case", "list"], default="case")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--who", default="load_dgef")
    parser.add_argument("--before-collab", action="store_true")
    parser.add_argument("--full-count", action="store_true", help="the list's former COUNT(*) of every row")
    parser.add_argument("--postgres-pid", help="postmaster.pid: add PostgreSQL's CPU per request")
    args = parser.parse_args()
    if args.before_collab:
        _before_collab()
    if args.full_count:
        from django.core.paginator import Paginator

        from gmmp.www.cases import views

        class FullCount(Paginator):
            cap, capped = 10_000, False

        views.CappedPaginator = FullCount
    from gmmp.cases.models import Case

    callers = json.load(open(os.path.join(os.environ["GMMP_DATA_DIR"], "load-callers.json")))
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies["sessionid"] = callers[args.who]["session"]
    rng = random.Random(15)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    refs = []
    while len(refs) < args.n + 1:
        ref = Case.objects.filter(pk=rng.randint(1, top)).values_list("reference", flat=True).first()
        if ref:
            refs.append(ref)
    urls = [f"/cases/{r}/" for r in refs] if args.kind == "case" else ["/cases/"] * (args.n + 1)
    assert client.get(urls[0]).status_code == 200  # warm
    cpu, wall, queries = [], [], []
    sys.path.insert(0, os.path.dirname(__file__))
    from load import _pid, cpu_seconds

    pg = _pid(args.postgres_pid)
    pg_start = cpu_seconds(pg) if pg else 0.0
    for url in urls[1:]:
        with CaptureQueriesContext(connection) as captured:
            start, start_wall = time.process_time(), time.perf_counter()
            response = client.get(url)
            cpu.append((time.process_time() - start) * 1000)
            wall.append((time.perf_counter() - start_wall) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.append(len(captured))
    pg_ms = (cpu_seconds(pg) - pg_start) * 1000 / args.n if pg else float("nan")
    print(
        f"{args.kind}{' (before)' if args.before_collab or args.full_count else ''}: n={args.n} "
        f"CPU p50 {statistics.median(cpu):.1f} ms, mean {statistics.mean(cpu):.1f} ms; "
        f"PostgreSQL {pg_ms:.1f} ms; wall p50 {statistics.median(wall):.1f} ms; "
        f"queries {min(queries)}-{max(queries)}; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()

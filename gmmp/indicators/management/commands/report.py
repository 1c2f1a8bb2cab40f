"""gmmp report quarterly 2025Q1 --lang fr --out report.pdf
gmmp report rerun 12 --out report.pdf   (an earlier report, recomputed with its recorded versions)"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gmmp.indicators import periods
from gmmp.indicators.models import ReportRun
from gmmp.indicators.report import (
    ReportError,
    check_quarter_started,
    render_pdf,
    report_number,
    validate_language,
)
from gmmp.indicators.services import report_run_create


def _output(path: str) -> Path:
    out = Path(path).expanduser()
    if out.is_dir():
        raise CommandError(f"--out {path} is a directory: give a file name, e.g. {out / 'report.pdf'}")
    if not out.parent.exists():
        raise CommandError(f"--out {path}: the directory {out.parent} does not exist")
    if out.suffix.lower() != ".pdf":
        raise CommandError(f"--out {path}: the file name must end in .pdf")
    return out


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise CommandError(f"cannot write {out}: {exc.strerror}") from exc


class Command(BaseCommand):
    help = "Produce the GMMP's quarterly indicators report as a PDF (French, Arabic or English)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="report", required=True)
        quarterly = sub.add_parser("quarterly", help="the report of one quarter, e.g. 2025Q1")
        quarterly.add_argument("quarter", help="e.g. 2025Q1")
        quarterly.add_argument("--lang", default="fr", help="fr, ar or en (default fr)")
        quarterly.add_argument("--out", required=True, help="PDF file to write")
        rerun = sub.add_parser("rerun", help="recompute a recorded report with the versions it used")
        rerun.add_argument("run_id", type=int)
        rerun.add_argument("--out", required=True, help="PDF file to write")

    def handle(self, *args, **options):
        out = _output(options["out"])
        if options["report"] == "rerun":
            run = ReportRun.objects.filter(pk=options["run_id"]).first()
            if run is None:
                raise CommandError(f"no recorded report with number {options['run_id']}")
        else:
            try:
                period = periods.parse_quarter(options["quarter"])
                lang = validate_language(options["lang"])
                check_quarter_started(period)
            except (periods.PeriodError, ReportError) as exc:
                raise CommandError(str(exc)) from exc
            run, _table = report_run_create(user=None, period=period, language=lang)
        _write(out, render_pdf(run))
        self.stdout.write(
            f"{out} written: report no. {report_number(run)} (edition {run.pk}), {run.period.code}, {run.language}, "
            f"ledger up to event {run.ledger_high_water}"
        )

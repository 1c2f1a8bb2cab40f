"""CSV imports of aggregate figures (column contracts in gmmp/mobility/IMPORTS.md).

An import reads the whole file first. A file that cannot be read as a whole (not UTF-8, a missing column)
is refused and nothing is written. Otherwise every row is checked: the good rows are recorded in ONE
transaction (all of them or, on any error while writing, none), each bad row goes to the rejects file with
its line number and the reason. A row equal to the figure in force changes nothing, so importing the same
file twice records nothing the second time; a different figure for the same key is a correction (the
previous figure is kept)."""

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from gmmp.core import dateformats
from gmmp.core.errors import Codes, Refused

from . import actions, perms
from .enums import IrregularMeasure, Origin, StudyLevel, VisaPost
from .errors import MobilityRefused
from .models import ImportBatch

VISA_COLUMNS = ("mois", "poste", "niveau", "demandes", "delivres", "refuses")
IRREGULAR_COLUMNS = ("trimestre", "partie", "mesure", "valeur", "source")
MAX_COUNT = 1_000_000


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; nothing was written."""


class ImportForbidden(ImportRefused, Refused):
    """The user may not import these figures at all (their role), whatever the file holds: a refusal of
    the role like any other (`forbidden`), and still an `ImportRefused` for the form and the command."""

    def __init__(self, message: str):
        Refused.__init__(self, message, Codes.FORBIDDEN)


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    rejects: list = field(default_factory=list)  # (line, row dict, reason)
    batch: ImportBatch | None = None
    columns: tuple = ()

    def summary(self) -> str:
        return _(
            "%(rows)s lignes : %(created)s nouvelles, %(corrected)s corrigées, %(unchanged)s inchangées, "
            "%(rejected)s rejetées."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
            "rejected": len(self.rejects),
        }

    def rejects_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["ligne", *self.columns, "motif"])
        for line, row, reason in self.rejects:
            writer.writerow([line, *(row.get(c, "") for c in self.columns), reason])
        return out.getvalue()

    def write_rejects(self, path: Path) -> None:
        Path(path).write_text(self.rejects_csv(), encoding="utf-8")


def _read(data: bytes, columns: tuple) -> list[tuple[int, dict]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_("Le fichier n'est pas un texte UTF-8.")) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in columns if c not in header]
    if missing:
        raise ImportRefused(_("Colonnes manquantes : %(cols)s.") % {"cols": ", ".join(missing)})
    reader.fieldnames = header
    rows = []
    for row in reader:
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows


def _count(value: str, name: str) -> int:
    if not re.fullmatch(r"\d{1,7}", value or ""):
        raise ValueError(
            _("%(col)s : nombre entier positif attendu (« %(v)s »).") % {"col": name, "v": value}
        )
    number = int(value)
    if number > MAX_COUNT:
        raise ValueError(_("%(col)s : nombre invraisemblable (%(v)s).") % {"col": name, "v": value})
    return number


# A month and a quarter as the files and the API write them (years 1900 to 2099, ASCII digits); the API's
# schemas state the same patterns.
MONTH_PATTERN = f"({dateformats.YEAR})-({dateformats.MONTH})"
QUARTER_PATTERN = f"({dateformats.YEAR})-?[Qq]([1-4])"


def _month(value: str) -> dt.date:
    m = re.fullmatch(MONTH_PATTERN, value or "")
    if not m:
        raise ValueError(_("mois : AAAA-MM attendu (« %(v)s »).") % {"v": value})
    return dt.date(int(m[1]), int(m[2]), 1)


def _quarter(value: str) -> dt.date:
    m = re.fullmatch(QUARTER_PATTERN, value or "")
    if not m:
        raise ValueError(_("trimestre : AAAAQn attendu, par exemple 2025Q1 (« %(v)s »).") % {"v": value})
    return dt.date(int(m[1]), 3 * (int(m[2]) - 1) + 1, 1)


def _choice(value: str, choices, name: str) -> str:
    upper = (value or "").strip()
    for candidate in choices.values:
        if candidate.lower() == upper.lower():
            return candidate
    raise ValueError(
        _("%(col)s : « %(v)s » inconnu (attendu : %(allowed)s).")
        % {"col": name, "v": value, "allowed": ", ".join(choices.values)}
    )


def _run(figures: "Figures", *, user, data: bytes, filename: str) -> ImportReport:
    report = ImportReport(columns=figures.columns)
    rows = _read(data, figures.columns)
    report.rows = len(rows)
    parsed: list = []
    seen: dict[object, int] = {}
    for line, row in rows:
        try:
            values = figures.parse_row(row)
        except ValueError as exc:
            report.rejects.append((line, row, str(exc)))
            continue
        key = tuple(values[f] for f in figures.key_fields)
        if key in seen:
            report.rejects.append(
                (line, row, _("même clé que la ligne %(line)s : ligne ignorée.") % {"line": seen[key]})
            )
            continue
        seen[key] = line
        parsed.append((line, row, values))
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=figures.kind,
            filename=Path(filename).name[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=report.rows,
            created=0,
            corrected=0,
            unchanged=0,
            created_by=user,
        )
        for line, row, values in parsed:
            try:
                with transaction.atomic():  # a refused row leaves nothing behind, the others go on
                    _row, outcome = figures.record(user=user, origin=Origin.IMPORT, batch=batch, **values)
            except MobilityRefused as exc:  # e.g. a row for the other side, a month not yet begun
                report.rejects.append((line, row, exc.message))
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
        batch.created, batch.corrected, batch.unchanged = report.created, report.corrected, report.unchanged
        batch.save(update_fields=["created", "corrected", "unchanged"])
    report.batch = batch
    report.rejects.sort(key=lambda r: r[0])
    return report


def _parse_visa(row: dict) -> dict:
    month = _month(row["mois"])
    post = _choice(row["poste"], VisaPost, "poste")
    level = _choice(row["niveau"], StudyLevel, "niveau")
    return {
        "month": month,
        "post": post,
        "level": level,
        "applications": _count(row["demandes"], "demandes"),
        "issued": _count(row["delivres"], "delivres"),
        "refused": _count(row["refuses"], "refuses"),
    }


class _Sides:
    values = ("FR", "MA")


def _parse_irregular(row: dict) -> dict:
    quarter = _quarter(row["trimestre"])
    side = _choice(row["partie"], _Sides, "partie")
    measure = _choice(row["mesure"], IrregularMeasure, "mesure")
    source = row["source"].strip()
    if not source:
        raise ValueError(_("source : obligatoire."))
    return {
        "quarter": quarter,
        "side": side,
        "measure": measure,
        "value": _count(row["valeur"], "valeur"),
        "source": source[:300],
        "note": row.get("commentaire", "")[:300],
    }


@dataclass(frozen=True)
class Figures:
    """One kind of aggregate figure, as its page and its import take it: the batch kind, the file's columns
    and row reader, the action recording one figure, the key field (month or quarter) with its reader, and
    who may record these figures."""

    kind: str
    columns: tuple
    key_fields: tuple[str, ...]  # one figure in force per key (the model's unique constraint)
    parse_row: Callable[[dict], dict]
    action: str  # the action in mobility.actions that records one figure (looked up at each call)
    key: str
    parse_key: Callable[[str], object]
    may_record: Callable[[object], tuple[bool, str]]

    def record(self, **values) -> tuple:
        return getattr(actions, self.action)(**values)


VISAS = Figures(
    ImportBatch.Kind.VISAS,
    VISA_COLUMNS,
    ("month", "post", "level"),
    _parse_visa,
    "visa_figure_record",
    "month",
    _month,
    perms.may_record_visas,
)
IRREGULAR = Figures(
    ImportBatch.Kind.IRREGULAR,
    IRREGULAR_COLUMNS,
    ("quarter", "side", "measure"),
    _parse_irregular,
    "irregular_figure_record",
    "quarter",
    _quarter,
    perms.may_record_irregular_either,
)


def figures_import(figures: Figures, *, user, data: bytes, filename: str) -> ImportReport:
    ok, why = figures.may_record(user)
    if not ok:
        raise ImportForbidden(why)
    return _run(figures, user=user, data=data, filename=filename)


def visas_import(*, user, data: bytes, filename: str = "visas.csv") -> ImportReport:
    """The visa system's monthly export (see IMPORTS.md)."""
    return figures_import(VISAS, user=user, data=data, filename=filename)


def irregular_import(*, user, data: bytes, filename: str = "irregular.csv") -> ImportReport:
    """Each side's quarterly figures on irregular migration (see IMPORTS.md)."""
    return figures_import(IRREGULAR, user=user, data=data, filename=filename)

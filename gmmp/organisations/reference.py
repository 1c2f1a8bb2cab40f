"""Load the reference data shipped with the project: départements, organisations, the jurisdiction map.

Every loader is idempotent (upsert by natural key) and atomic, so re-running a command after editing a
data file, or loading the complete official map, is safe.
"""

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from .enums import OrganisationKind, Side
from .models import Departement, Jurisdiction, Organisation

DATA = Path(__file__).resolve().parent / "data"


class ReferenceDataError(ValueError):
    pass


def _rows(path: Path) -> list[dict]:
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"File not found: {path}") from exc
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(f"{path} is not UTF-8 text") from exc


@transaction.atomic
def departements_load(*, path: Path = DATA / "departements.csv") -> int:
    rows = _rows(path)
    for row in rows:
        Departement.objects.update_or_create(
            code=row["code"].strip(),
            defaults={"name": row["name"].strip(), "region": row.get("region", "").strip()},
        )
    return len(rows)


@transaction.atomic
def organisations_load(*, path: Path = DATA / "organisations.csv") -> int:
    """The listed organisations, plus one préfecture per département."""
    count = 0
    for row in _rows(path):
        dep = Departement.objects.get(code=row["departement"]) if row.get("departement") else None
        Organisation.objects.update_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "side": row["side"],
                "name": row["name_fr"],
                "name_ar": row["name_ar"],
                "name_en": row["name_en"],
                "departement": dep,
                "time_zone": row.get("time_zone") or "",
            },
        )
        count += 1
    for dep in Departement.objects.all():
        Organisation.objects.update_or_create(
            code=f"PREF-{dep.code}",
            defaults={
                "kind": OrganisationKind.PREFECTURE,
                "side": Side.FR,
                "name": f"Préfecture — {dep.name} ({dep.code})",
                "name_ar": f"محافظة — {dep.name} ({dep.code})",
                "name_en": f"Prefecture — {dep.name} ({dep.code})",
                "departement": dep,
            },
        )
        count += 1
    return count


@transaction.atomic
def jurisdictions_load(*, path: Path = DATA / "jurisdictions.csv") -> int:
    """Replace the map of every département named in the file by the file's periods.

    Columns: departement, consulate, valid_from, valid_to (empty = open), confirmed (yes/no), source.
    The whole file is checked first; nothing changes when a line is wrong.
    """
    rows = _rows(path)
    with open(path, newline="", encoding="utf-8") as fh:
        columns = set(next(csv.reader(fh), []))
    required = {"departement", "consulate", "valid_from"}
    if not required <= columns:
        raise ReferenceDataError(f"{path}: missing columns {sorted(required - columns)}")
    # A short line leaves its last columns as None: read them as empty, so the checks below name the line.
    rows = [{k: v if isinstance(v, str) else "" for k, v in row.items() if k is not None} for row in rows]
    deps = {d.code: d for d in Departement.objects.all()}
    consulates = {o.code: o for o in Organisation.objects.filter(kind=OrganisationKind.CONSULATE)}
    parsed: dict[str, list[Jurisdiction]] = {}
    for lineno, row in enumerate(rows, start=2):
        try:
            dep = deps[row["departement"].strip()]
        except KeyError:
            raise ReferenceDataError(f"{path}:{lineno}: unknown département {row['departement']!r}") from None
        try:
            consulate = consulates[row["consulate"].strip()]
        except KeyError:
            raise ReferenceDataError(f"{path}:{lineno}: unknown consulate {row['consulate']!r}") from None
        try:
            start = dt.date.fromisoformat(row["valid_from"].strip())
            end = (
                dt.date.fromisoformat(row["valid_to"].strip())
                if (row.get("valid_to") or "").strip()
                else None
            )
        except ValueError:
            raise ReferenceDataError(f"{path}:{lineno}: dates must be YYYY-MM-DD") from None
        if end and end < start:
            raise ReferenceDataError(f"{path}:{lineno}: valid_to is before valid_from")
        periods = parsed.setdefault(dep.code, [])
        for other in periods:
            if other.valid_from <= (end or dt.date.max) and start <= (other.valid_to or dt.date.max):
                raise ReferenceDataError(f"{path}:{lineno}: period overlaps another one for {dep.code}")
        periods.append(
            Jurisdiction(
                departement=dep,
                consulate=consulate,
                valid_from=start,
                valid_to=end,
                confirmed=(row.get("confirmed") or "").strip().lower() in {"yes", "oui", "true", "1"},
                source=(row.get("source") or "").strip()[:300],
            )
        )
    Jurisdiction.objects.filter(departement__code__in=parsed).delete()
    Jurisdiction.objects.bulk_create([j for periods in parsed.values() for j in periods])
    return sum(len(p) for p in parsed.values())

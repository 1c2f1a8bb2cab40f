import datetime as dt
import json
from pathlib import Path

from django.db import transaction

from .models import PolicyValue

DATA = Path(__file__).resolve().parent / "data"


@transaction.atomic
def policy_load(*, path: Path = DATA / "policy.json") -> int:
    rows = json.loads(path.read_text(encoding="utf-8"))
    for row in rows:
        PolicyValue.objects.update_or_create(
            key=row["key"],
            effective_from=dt.date.fromisoformat(row["effective_from"]),
            defaults={"value": row["value"], "source": row.get("source", "")},
        )
    return len(rows)

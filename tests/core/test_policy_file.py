"""The policy file loads on every database: PostgreSQL enforces the columns' lengths (SQLite does not)."""

import json

from gmmp.core.models import PolicyValue
from gmmp.core.reference import DATA


def test_every_policy_row_fits_its_columns():
    rows = json.loads((DATA / "policy.json").read_text(encoding="utf-8"))
    for field in ("key", "source"):
        limit = PolicyValue._meta.get_field(field).max_length
        too_long = [row["key"] for row in rows if len(row.get(field, "")) > limit]
        assert too_long == [], (field, limit, too_long)

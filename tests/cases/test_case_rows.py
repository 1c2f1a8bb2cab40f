"""A list row (`selectors.CaseRow`, read as one tuple a case) says what the case says: same name, same
organisations' names in each language, same deadlines (bench/RESULTS.md, "Load, fifth pass": the
model instances were half of a page's rows)."""

import pytest
from django.utils import translation

from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.cases.selectors import CASE_ROW_VALUES, case_deadlines, case_deadlines_many, case_rows
from tests.factories import make_case


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_a_row_reads_what_the_case_says(lpc_ready, lang):
    make_case(CaseState.ROUTED, **lpc_ready)
    make_case(CaseState.DRAFT, prefecture_user=lpc_ready["prefecture_user"])  # no consulate yet
    cases = list(Case.objects.select_related("prefecture", "consulate").order_by("pk"))
    with translation.override(lang):
        rows = case_deadlines_many(case_rows(Case.objects.order_by("pk").values_list(*CASE_ROW_VALUES)))
        assert len(rows) == len(cases) == 2
        for case, (row, deadlines) in zip(cases, rows, strict=True):
            assert (row.pk, row.reference, row.state, row.full_name) == (
                case.pk, case.reference, case.state, case.full_name
            )  # fmt: skip
            assert (row.prefecture.pk, row.prefecture.display_name) == (
                case.prefecture_id, case.prefecture.display_name
            )  # fmt: skip
            if case.consulate_id:
                assert (row.consulate.pk, row.consulate.display_name) == (
                    case.consulate_id, case.consulate.display_name
                )  # fmt: skip
            else:
                assert row.consulate is None
            assert deadlines == case_deadlines(case)

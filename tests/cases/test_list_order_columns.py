"""The case lists' default order is read from two columns the database generates from the state and the
dates (`Case.open_rank`, `Case.urgency_date`, indexed): they follow every transition (also checked in
test_workflow_by_state), every deadline change, and any write, whatever its path."""

import datetime as dt

from gmmp.cases import actions
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.cases.selectors import case_list_for_user
from gmmp.core import clock
from tests.factories import extension_kwargs, make_case, valid_kwargs

from .order_columns import FAR, expected_order, order_columns_problem
from .walk import paris_case


def d(n: int) -> dt.date:
    return clock.today() + dt.timedelta(days=n)


def stored(case) -> tuple:
    return Case.objects.values_list("open_rank", "urgency_date").get(pk=case.pk)


def test_the_columns_follow_the_reply_deadline_and_the_detention_changes(personas):
    pref, consulate = personas["pref75_agent"], personas["cg_paris_agent"]
    case = make_case(CaseState.DRAFT, prefecture_user=pref)
    assert stored(case) == (0, FAR)  # a draft without detention: open, no date
    actions.case_update_draft(case=case, user=pref, data={"detention_start": d(-2)})
    assert stored(case) == (0, FAR)  # a draft's dates do not count yet (as before the columns)
    actions.case_submit(case=case, user=pref)
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED and case.reply_due > d(2)
    assert stored(case) == (0, d(2))  # the release comes before the reply due
    actions.case_record_legal_event(case=case, user=pref, **extension_kwargs(case))
    case.refresh_from_db()
    assert case.detention_end > case.reply_due
    assert stored(case) == (0, case.reply_due)  # now the reply due comes first
    before = case.reply_due
    actions.case_extend_reply_deadline(case=case, user=consulate, reason="Vérifications")
    case.refresh_from_db()
    assert case.reply_due > before
    assert stored(case) == (0, min(case.reply_due, case.detention_end))
    actions.case_release(case=case, user=pref, **valid_kwargs("release"))
    case.refresh_from_db()
    assert case.state == CaseState.RELEASED
    assert stored(case) == (1, FAR)  # released: not in the queues any more
    assert not order_columns_problem(case)


def test_any_write_of_state_or_dates_recomputes_the_columns(personas):
    """Whatever writes the row (here a bulk update, as retention or an import would): the database
    recomputes the columns, for every state and every combination of the two dates."""
    case = paris_case(CaseState.ROUTED, personas)
    combos = [(None, None), (d(5), None), (None, d(5)), (d(3), d(9)), (d(9), d(3)), (d(4), d(4))]
    problems = []
    for state in CaseState:
        for detention_end, reply_due in combos:
            Case.objects.filter(pk=case.pk).update(
                state=state, detention_end=detention_end, reply_due=reply_due
            )
            if stored(case) != expected_order(state, detention_end, reply_due):
                problems.append((state, detention_end, reply_due, stored(case)))
    assert not problems, problems


def test_the_list_order_is_the_stored_order(personas):
    """The default order of case_list_for_user is (open_rank, urgency_date, created_at, id)."""
    cases = [paris_case(s, personas) for s in (CaseState.READMITTED, CaseState.ROUTED, CaseState.IDENTIFIED)]
    listed = list(case_list_for_user(user=personas["dgef_central"]).filter(pk__in=[c.pk for c in cases]))
    assert listed == sorted(cases, key=lambda c: (*stored(c), c.created_at, c.pk))

import threading
import time

import pytest
from django.db import OperationalError, connection

from gmmp.cases.actions import TransitionRefused, case_issue_laissez_passer
from gmmp.cases.enums import CaseState
from gmmp.core import clock
from gmmp.documents.actions import lpc_reissue
from gmmp.documents.models import LaissezPasser, LpcCounter
from gmmp.documents.selectors import lpc_current
from tests.factories import make_case, sample_photo


def test_numbers_follow_each_other_per_consulate_and_year(lpc_ready, personas):
    year = clock.today().year
    paris = [make_case(CaseState.IDENTIFIED, **lpc_ready) for _ in range(3)]
    colombes = make_case(
        CaseState.IDENTIFIED,
        prefecture_user=personas["pref92_agent"],
        consulate_user=personas["cg_colombes_agent"],
    )
    for case in paris:
        case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], photo=sample_photo())
    case_issue_laissez_passer(case=colombes, user=personas["cg_colombes_agent"], photo=sample_photo())
    assert [lpc_current(c).number for c in paris] == [f"CG-PARIS-{year}-0000{i}" for i in (1, 2, 3)]
    assert lpc_current(colombes).number == f"CG-COLOMBES-{year}-00001"


def test_a_refused_issuance_does_not_consume_a_number(lpc_ready):
    first, second = (make_case(CaseState.IDENTIFIED, **lpc_ready) for _ in range(2))
    case_issue_laissez_passer(case=first, user=lpc_ready["consulate_user"], photo=sample_photo())
    with pytest.raises(TransitionRefused) as refused:
        case_issue_laissez_passer(case=second, user=lpc_ready["consulate_user"], photo=b"not an image")
    assert refused.value.code == "invalid_photo"
    case_issue_laissez_passer(case=second, user=lpc_ready["consulate_user"], photo=sample_photo())
    assert lpc_current(second).sequence == lpc_current(first).sequence + 1


def test_a_reissue_takes_the_next_number(lpc_ready):
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    old = lpc_current(case)
    new = lpc_reissue(lpc=old, user=lpc_ready["consulate_user"])
    assert new.sequence == old.sequence + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_gives_unique_gapless_numbers(lpc_ready, personas):
    """Officers of the same consulate issuing at the same moment. On PostgreSQL the counter row lock
    serialises the increments; SQLite serialises every writer anyway (BEGIN IMMEDIATE)."""
    n = 6
    cases = [make_case(CaseState.IDENTIFIED, **lpc_ready) for _ in range(n)]
    officers = [personas["cg_paris_agent"], personas["cg_paris_supervisor"]]
    barrier = threading.Barrier(n)
    errors = []

    def issue(i):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    case_issue_laissez_passer(case=cases[i], user=officers[i % 2], photo=sample_photo())
                    return
                except OperationalError as exc:
                    # The in-memory SQLite test database (shared cache) answers "table is locked" at
                    # once instead of waiting like a file database does: wait and try again. The
                    # failed attempt rolled back whole, its number included, which is the point.
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            errors.append("gave up")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    sequences = sorted(
        LaissezPasser.objects.filter(consulate__code="CG-PARIS").values_list("sequence", flat=True)
    )
    assert sequences == list(range(1, n + 1))
    assert LpcCounter.objects.get(consulate__code="CG-PARIS", year=clock.today().year).last == n

"""A double scan at the border (double click, network retry) answers like the first and flags nothing;
a later presentation of a used document is still flagged."""

import datetime as dt

from django.test import Client
from django.urls import reverse

from gmmp.cases.enums import CaseState
from gmmp.cases.models import CaseEvent
from gmmp.core import clock
from gmmp.documents.selectors import lpc_current
from tests.factories import make_case


def _scan(user, seal):
    """Scan, then (when the document is valid and the photo shown) confirm the arrival: the two steps."""
    client = Client()
    client.force_login(user)
    page = client.post(reverse("documents:border_scan"), {"payload": seal}).content.decode()
    if 'data-testid="confirm-arrival"' in page:
        page = client.post(
            reverse("documents:border_scan"), {"payload": seal, "op": "confirm"}
        ).content.decode()
    return page


def test_the_same_post_scanning_twice_within_minutes_is_idempotent(lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    seal = lpc_current(case).seal
    first = _scan(lpc_ready["border_user"], seal)
    assert "Réadmission confirmée" in first
    with clock.frozen(clock.now() + dt.timedelta(seconds=20)):
        second = _scan(lpc_ready["border_user"], seal)
    assert 'data-status="valid"' in second and "scan répété" in second
    assert not CaseEvent.objects.filter(case=case, kind="lpc_reuse_flagged").exists()
    assert CaseEvent.objects.filter(case=case, kind="lpc_used").count() == 1


def test_a_used_document_presented_again_later_is_flagged(lpc_ready):
    case = make_case(CaseState.DEPARTED, **lpc_ready)
    seal = lpc_current(case).seal
    _scan(lpc_ready["border_user"], seal)
    with clock.frozen(clock.now() + dt.timedelta(hours=2)):
        later = _scan(lpc_ready["border_user"], seal)
    assert 'data-status="used"' in later and "DÉJÀ UTILISÉ" in later
    assert CaseEvent.objects.filter(case=case, kind="lpc_reuse_flagged").count() == 1

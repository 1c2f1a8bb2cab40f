"""Nobody is shown a way they may not take: every entry of a persona's menu, and every notification
they receive, opens a page they may read (no 403, no 404). The menu applies each page's own rule."""

import re

import pytest
from django.test import Client

from gmmp.notifications.jobs import governance_reminders
from gmmp.notifications.models import Notification
from tests.personas import MINOR_PERSONAS, PERSONAS

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav aria-label="[^"]*">(.*?)</nav>', re.S)
HREF = re.compile(r'href="([^"]+)"')


def _menu(client) -> list[str]:
    page = client.get("/", follow=True).content.decode()
    return HREF.findall(NAV.search(page).group(1))


@pytest.mark.parametrize("username", sorted(PERSONAS) + sorted(MINOR_PERSONAS))
def test_every_menu_entry_of_a_persona_opens(personas, minor_personas, username):
    user = {**personas, **minor_personas}[username]
    client = Client()
    client.force_login(user)
    menu = _menu(client)
    assert menu, "every persona has a menu"
    refused = {url: client.get(url).status_code for url in menu if "/admin/" not in url}
    assert {url: code for url, code in refused.items() if code != 200} == {}


def test_the_consulates_child_protection_officer_has_no_register_or_interview_calendar(minor_personas):
    officer = next(u for u in minor_personas.values() if u.role == "cp_officer" and u.org_kind == "consulate")
    client = Client()
    client.force_login(officer)
    menu = _menu(client)
    assert "/register/" not in menu and "/interviews/week/" not in menu
    assert client.get("/interviews/week/").status_code == 404  # the page applies the same rule


def test_every_quarter_notice_opens_a_page_its_reader_may_read(personas):
    governance_reminders()
    notes = Notification.objects.filter(kind="quarter_closed").select_related("recipient")
    assert {n.recipient.role for n in notes} >= {"ofii_officer", "anapec_officer", "central"}
    for note in notes:
        client = Client()
        client.force_login(note.recipient)
        response = client.get(f"/notifications/{note.pk}/", follow=True)
        assert response.status_code == 200, (note.recipient.username, response.redirect_chain)


def test_the_menu_is_built_once_a_request_though_the_panels_render_with_the_request(
    client, personas, lpc_ready, monkeypatch
):
    """The case page's laissez-passer panel renders its own template with the request, which runs the
    context processors again: the menu (one permission check per entry) is kept on the request."""
    from gmmp.cases.enums import CaseState
    from gmmp.www import navigation
    from tests.factories import make_case

    checks: list[str] = []

    def counted(name, allowed):
        return lambda user: checks.append(name) or allowed(user)

    monkeypatch.setattr(
        navigation,
        "ITEMS",
        [(name, label, counted(name, allowed)) for name, label, allowed in navigation.ITEMS],
    )
    case = make_case(CaseState.LPC_ISSUED, **lpc_ready)
    client.force_login(personas["cg_paris_agent"])
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="lpc-panel"' in page  # rendered with the request
    assert sorted(checks) == sorted(name for name, _label, _allowed in navigation.ITEMS)

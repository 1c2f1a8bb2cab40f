"""The consulate asks the préfecture a question in the case's thread; the préfecture sees the bell,
opens the notification, reads the question and answers; the consulate is told in turn."""

from gmmp.cases.enums import CaseState
from tests.browser_support import login
from tests.factories import make_case


def bell_count(page) -> int:
    return int(page.inner_text("[data-testid=unread-count]"))


def test_the_prefecture_receives_the_consulates_question_and_answers_in_the_thread(new_page, personas):
    case = make_case(CaseState.ROUTED, prefecture_user=personas["pref75_agent"])

    consul = new_page()
    login(consul, "cg_paris_agent")
    consul.goto(f"/cases/{case.reference}/")
    with consul.expect_navigation():
        consul.click("[data-testid=thread-link]")
    consul.fill("#id_body", "Pouvez-vous joindre une copie du passeport ?")
    with consul.expect_navigation():
        consul.click("button[name=send]")
    assert "Pouvez-vous joindre une copie du passeport ?" in consul.inner_text("[data-testid=thread]")

    pref = new_page()
    login(pref, "pref75_agent")
    assert bell_count(pref) == 1
    with pref.expect_navigation():
        pref.click("[data-testid=bell]")
    row = pref.locator("tr.unread[data-kind=message]")
    assert case.reference in row.inner_text()
    with pref.expect_navigation():
        row.locator("a").first.click()
    assert pref.url.endswith(f"/cases/{case.reference}/")
    assert "1 non lu" in pref.inner_text("[data-testid=thread-link]")
    with pref.expect_navigation():
        pref.click("[data-testid=thread-link]")
    message = pref.locator("[data-testid=message]").first
    assert "Pouvez-vous joindre une copie du passeport ?" in message.inner_text()
    assert "non lu" in message.inner_text()
    pref.fill("#id_body", "Oui, la copie est jointe à la demande.")
    with pref.expect_navigation():
        pref.click("button[name=send]")
    assert pref.locator("[data-testid=message]").count() == 2
    assert bell_count(pref) == 0

    consul.goto("/notifications/")
    assert bell_count(consul) >= 1
    assert consul.locator("tr.unread[data-kind=message]").count() == 1

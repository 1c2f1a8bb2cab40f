"""The pages a user meets when something goes wrong are the platform's own, in the user's language and
direction, with a way back: never Django's bare English pages."""

import re

import pytest
from django.test import Client
from django.views.defaults import server_error

NOT_FOUND = {"fr": "Page introuvable", "en": "Page not found", "ar": "الصفحة غير موجودة"}


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_an_unknown_page_answers_the_platforms_404_in_the_users_language(client, personas, language):
    client.force_login(personas["pref75_agent"])
    response = client.get("/cases/no-such-case/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="error-page"' in page
    assert NOT_FOUND[language] in page
    assert f'lang="{language}"' in page
    assert ('dir="rtl"' in page) == (language == "ar")
    assert "The requested resource was not found" not in page


def test_a_case_that_is_not_yours_reads_exactly_like_a_missing_one(client, personas, lpc_ready):
    from gmmp.cases.enums import CaseState as S
    from tests.factories import make_case

    case = make_case(S.ROUTED, **lpc_ready)
    client.force_login(personas["pref92_agent"])
    not_yours = client.get(f"/cases/{case.reference}/")
    missing = client.get("/cases/DI-1999-999999/")
    assert not_yours.status_code == missing.status_code == 404
    assert same_page_but_the_address(not_yours, case.reference, missing, "DI-1999-999999")


CSRF_IN_PAGE = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+')


def same_page_but_the_address(one, one_reference: str, other, other_reference: str) -> bool:
    """Two answers are the same page byte for byte once the address they echo (the language switcher's
    `next`) and the per-request form token are set aside: nothing tells "not yours" from "missing"."""

    def plain(response, reference: str) -> str:
        return CSRF_IN_PAGE.sub(r"\1-", response.content.decode().replace(reference, "REF"))

    return one.status_code == other.status_code and plain(one, one_reference) == plain(other, other_reference)


def test_a_refused_form_token_explains_that_nothing_was_saved(personas):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas["pref75_agent"])
    response = client.post("/logout/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Form expired" in page and "Nothing was saved" in page
    assert 'data-testid="error-page"' in page


def test_an_unexpected_error_shows_the_platforms_own_page(rf):
    from django.utils import translation

    with translation.override("ar"):
        response = server_error(rf.get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert 'dir="rtl"' in page and 'data-testid="error-page"' in page
    assert "Server Error (500)" not in page

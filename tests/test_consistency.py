"""Tests that police the project's conventions (see STYLE.md)."""

import inspect

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from gmmp.cases import actions
from gmmp.cases.workflow import TRANSITIONS

# Pages anyone may open without logging in, and why.
PUBLIC_VIEWS = {
    "healthz",  # load balancers
    "login",
    "set_language",  # the login page offers the language switch
    "robots",  # says "index nothing" to crawlers, which never log in
    "favicon",  # browsers ask for it on the login page
}
PUBLIC_PREFIXES = ("api/",)  # the API authenticates each call itself and denies by default


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_page_needs_a_login_unless_it_says_why_not():
    public = []
    for route, pattern in _patterns():
        if route.startswith(PUBLIC_PREFIXES) or route.startswith("admin/"):
            continue
        view = pattern.callback
        if getattr(view, "login_required", True) is False and pattern.name not in PUBLIC_VIEWS:
            public.append((route, pattern.name))
    allowed_public = {
        name for _route, name in public if name and name.startswith(("verify", "keys", "public"))
    }
    assert [p for p in public if p[1] not in allowed_public] == []


def test_every_state_change_is_a_keyword_only_action_named_entity_action():
    for name, fn in inspect.getmembers(actions, inspect.isfunction):
        if fn.__module__ != actions.__name__ or name.startswith("_"):
            continue
        params = inspect.signature(fn).parameters.values()
        assert all(p.kind in (p.KEYWORD_ONLY, p.VAR_KEYWORD) for p in params), (
            f"{name} must take keyword-only arguments"
        )
        assert "_" in name, name


def test_every_transition_has_its_action():
    assert set(actions.ACTIONS) == set(TRANSITIONS)
    for name, fn in actions.ACTIONS.items():
        assert fn.__name__ == f"case_{name}"


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)

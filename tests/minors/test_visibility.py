"""Only the people named on a child's case and the judge read the child's name, anywhere: pages, API, CSV,
report, drill-down. Every adult-track role, the central readers and the secretariat read none."""

import pytest
from django.http import Http404

from gmmp.indicators import periods
from gmmp.indicators.report import render_html
from gmmp.indicators.services import report_run_create
from gmmp.minors import actions
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorCase
from gmmp.minors.perms import user_sees_children
from gmmp.minors.selectors import minor_get_for_user
from tests.personas import MINOR_PERSONAS, PERSONAS

from .conftest import CHILD, walk

NAMES_A = ("Demo-Zerhouni", "Anouar")
NAMES_B = ("Demo-Kabbaj", "Salim")
NAMED_A = {
    "ase75_officer",
    "judge_paris",
    "clerk_paris",
    "cg_paris_cp",
    "ma_enfance_officer",
    "ma_justice_contact",
}
NAMED_B = {"ase93_officer", "judge_bobigny", "cg_villemomble_cp", "ma_enfance_officer", "ma_justice_contact"}


@pytest.fixture
def world(personas, minor_personas):
    a = walk(minor_personas, S.FOLLOWED_12M, last_name=NAMES_A[0], first_names=NAMES_A[1])
    b = actions.minor_refer(
        user=minor_personas["ase93_officer"],
        data={**CHILD, "last_name": NAMES_B[0], "first_names": NAMES_B[1]},
    )
    return {"a": a, "b": b, "users": {**personas, **minor_personas}}


def _urls(world) -> list[str]:
    a, b = world["a"], world["b"]
    document = a.documents.get()
    urls = ["/", "/minors/", "/minors/indicators/?period=2026Q4", "/minors/indicators.csv?period=2026Q4"]
    for case in (a, b):
        urls += [
            f"/minors/{case.reference}/",
            f"/minors/{case.reference}/access/",
            f"/api/v1/minors/{case.reference}",
        ]
    urls += [
        f"/minors/{a.reference}/documents/{document.pk}/",
        "/minors/indicators/?period=2026Q4&breakdown=month",
        "/minors/indicators.csv?period=2026Q4&breakdown=consulate",
        "/api/v1/minors/",
        "/api/v1/minors/figures?period=2026Q4&breakdown=month",
        "/cases/",
        "/indicators/?period=2026Q4",
        "/indicators/cases/?period=2026Q4&indicator=requests_received",
        "/api/v1/cases/",
        "/api/v1/indicators/figures?period=2026Q4",
    ]
    return urls


def test_every_persona_is_covered():
    assert NAMED_A | NAMED_B <= set(MINOR_PERSONAS)
    assert not (set(PERSONAS) & set(MINOR_PERSONAS))


def test_only_the_named_people_read_a_childs_name_on_any_page_or_api(client, world):
    read = {}
    for username, user in world["users"].items():
        client.force_login(user)
        seen = set()
        for url in _urls(world):
            body = client.get(url).content.decode("utf-8", "replace")
            seen |= {"a" for n in NAMES_A if n in body} | {"b" for n in NAMES_B if n in body}
        if seen:
            read[username] = seen
    expected = {}
    for username in NAMED_A | NAMED_B:
        expected[username] = ({"a"} if username in NAMED_A else set()) | (
            {"b"} if username in NAMED_B else set()
        )
    assert read == expected


def test_the_selectors_answer_404_to_everyone_not_named(world):
    for username, user in world["users"].items():
        for key, named in (("a", NAMED_A), ("b", NAMED_B)):
            case = world[key]
            if username in named:
                assert minor_get_for_user(user=user, reference=case.reference).pk == case.pk
            else:
                with pytest.raises(Http404):
                    minor_get_for_user(user=user, reference=case.reference)


def test_no_adult_track_role_no_central_reader_and_not_the_secretariat_sees_children(personas):
    assert not [name for name, user in personas.items() if user_sees_children(user)]
    assert not MinorCase.objects.visible_to(personas["dgef_central"]).exists()


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_the_quarterly_report_names_no_child(world, personas, lang):
    run, _table = report_run_create(
        user=personas["dgef_central"], period=periods.parse("2026Q4"), language=lang
    )
    html = render_html(run)
    for name in (*NAMES_A, *NAMES_B, CHILD["mother_last_name"]):
        assert name not in html

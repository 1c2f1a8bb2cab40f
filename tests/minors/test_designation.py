"""A supervisor names a colleague on a child's case when the named officer is away or has left: the new
person reads the case, the previous one no longer does; the supervisor never sees the child's data."""

import pytest

from gmmp.minors.actions import MinorRefused, minor_officer_designate
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorEvent
from gmmp.minors.selectors import minor_list_for_user
from gmmp.organisations.models import User

from .conftest import CHILD


@pytest.fixture
def colleague(minor_personas):
    ase = minor_personas["ase75_officer"]
    return User.objects.create(username="ase75_colleague", organisation=ase.organisation, role=ase.role)


def test_the_supervisor_gives_the_case_to_a_colleague_from_the_supervision_page(
    client, minor_personas, walk_to, colleague
):
    case = walk_to(S.IDENTIFIED)
    client.force_login(minor_personas["ase75_supervisor"])
    page = client.get(f"/minors/{case.reference}/access/").content.decode()
    assert page.count('data-testid="designate-ase_officer"') == 1 and "ase75_colleague" in page
    assert "<form" not in page[page.index("<title>") : page.index("</title>")]  # the forms once, in the page
    assert CHILD["last_name"] not in page
    response = client.post(
        f"/minors/{case.reference}/designate/",
        {"slot": "ase_officer", "officer": colleague.pk, "reason": "absence"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.ase_officer == colleague
    event = MinorEvent.objects.filter(case=case).latest("sequence")
    assert (event.kind, event.reason, event.details["officer"]) == (
        "officer_designated",
        "absence",
        colleague.pk,
    )
    assert case in minor_list_for_user(user=colleague)
    assert case not in minor_list_for_user(user=minor_personas["ase75_officer"])
    client.force_login(minor_personas["ase75_officer"])
    assert client.get(f"/minors/{case.reference}/").status_code == 404


def test_the_courts_clerk_assigns_another_judge(minor_personas, walk_to):
    case = walk_to(S.REFERRED)
    judge = minor_personas["judge_paris"]
    other = User.objects.create(username="judge_paris_2", organisation=judge.organisation, role=judge.role)
    minor_officer_designate(
        case=case, user=minor_personas["clerk_paris"], slot="judge", officer=other, reason="workload"
    )
    case.refresh_from_db()
    assert case.judge == other


@pytest.mark.parametrize(
    "who, slot, officer, code",
    [
        ("ase75_officer", "ase_officer", "ase75_colleague", "forbidden"),  # not a supervisor
        ("ase75_supervisor", "judge", "judge_paris", "forbidden"),  # not their organisation's place
        ("ase75_supervisor", "ase_officer", "ase93_officer", "invalid"),  # another organisation
        ("ase75_supervisor", "ase_officer", "ase75_supervisor", "invalid"),  # not the role
        ("ase75_supervisor", "ase_officer", "ase75_officer", "invalid"),  # already named
    ],
)
def test_a_designation_outside_the_rules_is_refused_and_changes_nothing(
    minor_personas, walk_to, colleague, who, slot, officer, code
):
    case = walk_to(S.REFERRED)
    people = {**minor_personas, "ase75_colleague": colleague}
    before = (case.ase_officer_id, case.judge_id, MinorEvent.objects.filter(case=case).count())
    with pytest.raises(MinorRefused) as refused:
        minor_officer_designate(
            case=case, user=people[who], slot=slot, officer=people[officer], reason="left"
        )
    assert refused.value.code == code
    case.refresh_from_db()
    assert (case.ase_officer_id, case.judge_id, MinorEvent.objects.filter(case=case).count()) == before


def test_an_inactive_colleague_cannot_be_named_and_the_page_says_why(
    client, minor_personas, walk_to, colleague
):
    colleague.is_active = False
    colleague.save()
    case = walk_to(S.REFERRED)
    client.force_login(minor_personas["ase75_supervisor"])
    response = client.post(
        f"/minors/{case.reference}/designate/",
        {"slot": "ase_officer", "officer": colleague.pk, "reason": "left"},
        follow=True,
    )
    assert "ne peut pas être désignée" in response.content.decode()
    case.refresh_from_db()
    assert case.ase_officer == minor_personas["ase75_officer"]


def test_a_supervisor_of_an_uninvolved_organisation_cannot_designate(
    client, personas, minor_personas, walk_to
):
    case = walk_to(S.REFERRED)
    client.force_login(personas["pref75_supervisor"])
    response = client.post(
        f"/minors/{case.reference}/designate/",
        {"slot": "ase_officer", "officer": minor_personas["ase75_officer"].pk, "reason": "left"},
    )
    assert response.status_code == 404


def test_a_person_named_on_the_case_who_may_not_designate_is_refused_with_403(
    client, minor_personas, walk_to, colleague
):
    case = walk_to(S.REFERRED)
    client.force_login(minor_personas["ase75_officer"])  # reads the case, does not give its places
    response = client.post(
        f"/minors/{case.reference}/designate/",
        {"slot": "ase_officer", "officer": colleague.pk, "reason": "absence"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.ase_officer == minor_personas["ase75_officer"]

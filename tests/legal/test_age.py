"""Age read in the person's favour: a possible minor is never filed in the adult track."""

import datetime as dt

import pytest

from gmmp.cases import actions
from gmmp.cases.age import adult_from, anniversary, latest_possible_birth, possibly_minor
from gmmp.cases.enums import CaseState
from gmmp.cases.models import Case
from gmmp.cases.selectors import case_timeline
from gmmp.core import clock
from gmmp.minors.models import MinorCase, MinorEvent
from tests.factories import case_data, make_case

# ---------------------------------------------------------------------------------------------- pure rule


@pytest.mark.parametrize(
    ("partial", "latest"),
    [
        ("2008", dt.date(2008, 12, 31)),
        ("2008-02", dt.date(2008, 2, 29)),  # leap year
        ("2007-02", dt.date(2007, 2, 28)),
        ("2008-06-15", dt.date(2008, 6, 15)),
        ("", None),
    ],
)
def test_a_partial_date_is_read_as_the_latest_day_it_allows(partial, latest):
    assert latest_possible_birth(partial) == latest


@pytest.mark.parametrize(
    ("birth", "on", "minor"),
    [
        # A year alone: the person may have been born on 31 December, so is of age only from 31/12 + 18 years.
        ("2008", dt.date(2026, 12, 30), True),
        ("2008", dt.date(2026, 12, 31), False),
        ("2008", dt.date(2026, 1, 1), True),  # born on 1 January they would be 18 today: not enough
        ("2007", dt.date(2026, 1, 1), False),
        ("2008-06", dt.date(2026, 6, 29), True),
        ("2008-06", dt.date(2026, 6, 30), False),
        ("2008-06-15", dt.date(2026, 6, 14), True),
        ("2008-06-15", dt.date(2026, 6, 15), False),  # the 18th birthday itself: of age
        # 29 February: in a common year the birthday is 1 March (the later day, in the person's favour).
        ("2008-02-29", dt.date(2026, 2, 28), True),
        ("2008-02-29", dt.date(2026, 3, 1), False),
        ("2008-02", dt.date(2026, 2, 28), True),  # a February 2008 birth may be the 29th
        ("2008-02", dt.date(2026, 3, 1), False),
        ("2004-02-29", dt.date(2022, 2, 28), True),
        ("2006-02-29"[:7], dt.date(2024, 2, 28), False),  # February 2006 has 28 days
        ("", dt.date(2026, 1, 1), False),  # nothing declared: no presumption either way
    ],
)
def test_possible_minor_reads_partial_dates_in_the_persons_favour(birth, on, minor):
    assert possibly_minor(birth, on, 18) is minor


def test_a_29_february_birthday_in_a_leap_year_is_the_29th():
    assert anniversary(dt.date(2004, 2, 29), 20) == dt.date(2024, 2, 29)
    assert anniversary(dt.date(2004, 2, 29), 18) == dt.date(2022, 3, 1)
    assert adult_from("2008", 18) == dt.date(2026, 12, 31)


# ---------------------------------------------------------------------------------------------- actions


def _year_making_a_minor_today() -> str:
    return str(clock.today().year - 18)  # could be born on 31 December: under 18 until then


def test_filing_a_possible_minor_is_refused_with_its_code_and_nothing_is_saved(personas):
    before = Case.objects.count()
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_create(
            user=personas["pref75_agent"], data=case_data(birth_date=_year_making_a_minor_today())
        )
    assert exc.value.code == "minor_in_adult_track"
    assert "parcours protégé" in exc.value.message
    assert Case.objects.count() == before


def test_a_person_of_age_today_but_a_minor_when_placed_in_detention_is_refused(personas):
    today = clock.today()
    born = dt.date(today.year - 18, today.month, today.day) - dt.timedelta(days=3)
    data = case_data(
        birth_date=born.isoformat(),
        removal_order_date=today - dt.timedelta(days=10),
        detention_start=today - dt.timedelta(days=5),
    )
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_create(user=personas["pref75_agent"], data=data)
    assert exc.value.code == "minor_in_adult_track"


def test_a_contested_age_established_as_adult_is_filed_with_its_basis_on_the_ledger(personas):
    case = actions.case_create(
        user=personas["pref75_agent"],
        data=case_data(birth_date=_year_making_a_minor_today()),
        age_contest={
            "finding": "adult",
            "basis": "judge",
            "reference": "TJ Paris 26/1234",
            "decided_on": None,
        },
    )
    assert case.age_finding == "adult"
    created = next(e for e in case_timeline(case) if e.kind == "created")
    assert created.details_open["age"] == {
        "finding": "adult",
        "basis": "judge",
        "reference": "TJ Paris 26/1234",
    }
    assert "TJ Paris" not in str(created.details)  # sealed in the ledger itself (crypto-shredded later)


def test_a_contested_age_needs_a_reference(personas):
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_create(
            user=personas["pref75_agent"],
            data=case_data(birth_date=_year_making_a_minor_today()),
            age_contest={"finding": "adult", "basis": "assessment", "reference": " "},
        )
    assert exc.value.code == "reason_required"


def test_a_draft_edited_to_a_minors_birth_date_is_refused(personas):
    case = make_case(prefecture_user=personas["pref75_agent"])
    data = {f: getattr(case, f) for f in actions.REQUEST_FIELDS}
    data["birth_date"] = _year_making_a_minor_today()
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_update_draft(case=case, user=personas["pref75_agent"], data=data)
    assert exc.value.code == "minor_in_adult_track"
    case.refresh_from_db()
    assert case.birth_date == "1994"


def test_age_established_as_minor_opens_the_childs_case_in_the_protected_track(
    personas,
    lpc_ready,
    minor_personas,
):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    born = _year_making_a_minor_today()
    actions.case_assess_age(
        case=case,
        user=lpc_ready["prefecture_user"],
        finding="minor",
        basis="documents",
        reference="Acte de naissance n° 123",
        birth_date=born,
    )
    case.refresh_from_db()
    # The adult request is withdrawn: no child stays in the adult track ...
    assert case.state == CaseState.WITHDRAWN
    event = case_timeline(case)[-1]
    assert event.kind == "assess_age" and event.reason == "minor"
    assert event.details["basis"] == "documents" and event.details_open["birth_date"]["new"] == born
    assert born not in str(event.details["birth_date"])  # sealed in the ledger (crypto-shredded later)
    # ... and the protected track has the child, with the established birth date and the officers of Paris.
    child = MinorCase.objects.get(reference=event.details["minor_case"])
    assert (child.last_name, child.first_names, child.birth_date) == (case.last_name, case.first_names, born)
    assert child.state == "referred" and child.departement.code == "75"
    assert child.ase_officer == minor_personas["ase75_officer"]
    assert child.judge == minor_personas["judge_paris"]
    assert child.consulate_officer == minor_personas["cg_paris_cp"]
    assert case.reference in child.circumstances
    referral = MinorEvent.objects.get(case=child)
    assert (referral.kind, referral.reason) == ("referred", "adult_track")
    # The préfecture that filed the adult request does not read the child's case; the named officers do.
    assert not MinorCase.objects.visible_to(lpc_ready["prefecture_user"]).exists()
    assert MinorCase.objects.visible_to(minor_personas["ase75_officer"]).get() == child


def test_without_officers_for_the_child_nothing_is_recorded_and_the_refusal_says_why(personas, lpc_ready):
    """No officer of the protected track designated for the département: the finding is refused (the case
    stays visible, in its state) rather than the request withdrawn with nobody to take the child over."""
    case = make_case(CaseState.ROUTED, **lpc_ready)
    events = case.events.count()
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_assess_age(
            case=case, user=lpc_ready["prefecture_user"], finding="minor", basis="judge", reference="JE 26/1"
        )
    assert exc.value.code == "no_officer"
    assert "juge des enfants" in exc.value.message
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED and case.events.count() == events
    assert not MinorCase.objects.exists()


def test_age_established_as_adult_keeps_the_case_and_records_the_basis(personas, lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    actions.case_assess_age(
        case=case, user=lpc_ready["prefecture_user"], finding="adult", basis="judge", reference="JLD 26/99"
    )
    case.refresh_from_db()
    assert case.state == CaseState.ROUTED and case.age_finding == "adult" and case.age_basis == "judge"


def test_only_the_filing_prefecture_records_an_age_finding(personas, lpc_ready):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    with pytest.raises(actions.TransitionRefused) as exc:
        actions.case_assess_age(
            case=case, user=lpc_ready["consulate_user"], finding="minor", basis="judge", reference="x"
        )
    assert exc.value.code == "forbidden"


def test_the_web_form_records_a_minor_and_the_case_page_names_the_childs_case(
    client, personas, lpc_ready, minor_personas
):
    case = make_case(CaseState.ROUTED, **lpc_ready)
    client.force_login(lpc_ready["prefecture_user"])
    fields = {"finding": "minor", "basis": "judge", "reference": "JE Paris 26/7", "birth_date": ""}
    response = client.post(
        f"/cases/{case.reference}/actions/assess_age/", {f"assess_age-{k}": v for k, v in fields.items()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    child = MinorCase.objects.get()
    assert case.state == CaseState.WITHDRAWN
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert 'data-testid="minor-case"' in page and child.reference in page
    # The préfecture cannot open the child's case itself.
    assert client.get(f"/minors/{child.reference}/").status_code in (403, 404)

"""The track's pages: referral, steps, the access log shown to supervisors, the aggregates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gmmp.audit.models import AccessLog
from gmmp.core import clock
from gmmp.minors.enums import MinorState as S
from gmmp.minors.models import MinorCase, MinorEvent

from .conftest import CHILD, PDF


def test_the_referral_page_has_a_stable_url_name_for_the_adult_track():
    assert reverse("minors:referral_new") == "/minors/referral/new/"


def test_child_welfare_refers_a_child_from_the_page(client, minor_personas):
    client.force_login(minor_personas["ase75_officer"])
    assert client.get("/minors/referral/new/").status_code == 200
    response = client.post("/minors/referral/new/", CHILD)
    case = MinorCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/minors/{case.reference}/"
    assert case.consulate.code == "CG-PARIS"


def test_a_referral_without_a_name_is_refused_with_a_message(client, minor_personas):
    client.force_login(minor_personas["ase75_officer"])
    response = client.post("/minors/referral/new/", {**CHILD, "last_name": "", "birth_date": "20100"})
    assert response.status_code == 400
    assert not MinorCase.objects.exists()
    assert response.context["form"].errors.keys() >= {"last_name", "birth_date"}


def test_a_prefecture_sent_to_the_referral_page_is_told_who_refers_and_records_nothing(client, personas):
    client.force_login(personas["pref75_agent"])
    response = client.get("/minors/referral/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "enfance de Paris" in body and '<form method="post" class="stacked"' not in body
    assert client.post("/minors/referral/new/", CHILD).status_code == 200
    assert not MinorCase.objects.exists()


def test_the_named_officer_takes_the_next_step_from_the_case_page(client, minor_personas, walk_to):
    case = walk_to(S.REFERRED)
    client.force_login(minor_personas["cg_paris_cp"])
    page = client.get(f"/minors/{case.reference}/")
    assert page.status_code == 200 and 'data-step="identify"' in page.content.decode()
    response = client.post(
        f"/minors/{case.reference}/steps/identify/",
        {"identify-identified": "yes", "identify-register_national_id": "1234567890"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == S.IDENTIFIED


def test_a_step_form_with_errors_answers_400_and_changes_nothing(client, minor_personas, walk_to):
    case = walk_to(S.SCREENED)
    client.force_login(minor_personas["ase75_officer"])
    response = client.post(
        f"/minors/{case.reference}/steps/assess_best_interests/",
        {"assess_best_interests-recommendation": "return", "assess_best_interests-reasons": "x"},
    )
    assert response.status_code == 400
    assert "child_view" in response.context["step_forms"][0]["form"].errors
    case.refresh_from_db()
    assert case.state == S.SCREENED


def test_a_step_out_of_order_answers_409_with_the_reason(client, minor_personas, walk_to):
    case = walk_to(S.REFERRED)
    client.force_login(minor_personas["ase75_officer"])
    response = client.post(
        f"/minors/{case.reference}/steps/assess_age/",
        {"assess_age-basis": "social", "assess_age-conclusion": "minor", "assess_age-assessment": "x"},
    )
    assert response.status_code == 409
    assert MinorEvent.objects.filter(case=case).count() == 1


def test_the_judge_uploads_the_decision_and_the_named_people_download_it(client, minor_personas, walk_to):
    case = walk_to(S.ASSESSED)
    client.force_login(minor_personas["judge_paris"])
    response = client.post(
        f"/minors/{case.reference}/steps/decide/",
        {
            "decide-outcome": "return",
            "decide-decision_date": clock.today().isoformat(),
            "decide-decision_reference": "JE-1",
            "decide-document": SimpleUploadedFile("decision.pdf", PDF),
        },
    )
    assert response.status_code == 302
    document = case.documents.get()
    client.force_login(minor_personas["ma_enfance_officer"])
    download = client.get(f"/minors/{case.reference}/documents/{document.pk}/")
    assert download.status_code == 200 and download.content == PDF


def test_every_view_is_logged_and_shown_to_the_supervisor_without_the_childs_data(
    client, minor_personas, walk_to
):
    case = walk_to(S.IDENTIFIED)
    client.force_login(minor_personas["cg_paris_cp"])
    client.get(f"/minors/{case.reference}/")
    assert (
        AccessLog.objects.filter(object_type="minor_case", object_id=case.reference, action="view").count()
        == 1
    )
    client.force_login(minor_personas["ase75_supervisor"])
    assert client.get(f"/minors/{case.reference}/").status_code == 404
    listing = client.get("/minors/")
    assert listing.status_code == 200 and case.reference in listing.content.decode()
    log = client.get(f"/minors/{case.reference}/access/")
    body = log.content.decode()
    assert log.status_code == 200 and "cg_paris_cp" in body
    assert CHILD["last_name"] not in body and CHILD["first_names"] not in body


def test_the_supervisor_of_an_uninvolved_organisation_does_not_reach_the_log(
    client, minor_personas, personas, walk_to
):
    case = walk_to(S.REFERRED)
    client.force_login(personas["pref75_supervisor"])
    assert client.get(f"/minors/{case.reference}/access/").status_code == 404
    assert client.get("/minors/").status_code == 404


@pytest.mark.parametrize("name", ["assess_age", "decide", "confirm_handover"])
def test_the_case_page_offers_only_the_step_the_user_may_take_now(client, minor_personas, walk_to, name):
    case = walk_to(S.REFERRED)
    client.force_login(minor_personas["ase75_officer"])
    assert f'data-step="{name}"' not in client.get(f"/minors/{case.reference}/").content.decode()


@pytest.mark.parametrize("who", ["ase75_officer", "judge_paris", "ma_enfance_officer", "ase75_supervisor"])
def test_the_people_of_the_track_land_on_their_cases(client, minor_personas, who):
    client.force_login(minor_personas[who])
    assert client.get("/")["Location"] == "/minors/"


def test_the_case_page_shows_an_event_the_platform_recorded_itself(client, minor_personas, walk_to):
    # A follow-up reminder has no actor: the page says "—" instead of failing.
    import datetime as dt

    from gmmp.core import clock
    from gmmp.minors.actions import minor_followups_remind

    case = walk_to(S.HANDED_OVER)
    assert minor_followups_remind(on=clock.today() + dt.timedelta(days=120)) == 1
    client.force_login(minor_personas["ma_enfance_officer"])
    page = client.get(f"/minors/{case.reference}/")
    assert page.status_code == 200 and "—" in page.content.decode()


def test_the_screening_names_the_trafficking_indicators_and_vulnerabilities_in_words(client, minor_personas):
    from .conftest import take, walk

    case = walk(minor_personas, S.AGE_ASSESSED)
    take(
        case,
        "screen",
        minor_personas,
        result="positive",
        trafficking_indicators=["debt", "forced_crime"],
        vulnerabilities=["street"],
        referral_service="Cellule traite (fictive)",
        referral_date=clock.today(),
    )
    client.force_login(minor_personas["ase75_officer"])
    page = client.get(f"/minors/{case.reference}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    screening = page[page.index('data-testid="screening"') :][:800]
    assert "forced_crime" not in screening and "street" not in screening
    assert "Contraint à commettre des délits" in screening and "Vie à la rue, errance" in screening


def test_the_judges_list_says_which_cases_await_the_judge(client, minor_personas, walk_to):
    waiting = walk_to(S.ASSESSED)  # the judge decides next
    earlier = walk_to(S.SCREENED)  # the child welfare's assessment comes first
    client.force_login(minor_personas["judge_paris"])
    page = client.get("/minors/").content.decode()
    rows = {ref: page[page.index(ref) :].split("</tr>")[0] for ref in (waiting.reference, earlier.reference)}
    assert 'data-testid="yours"' in rows[waiting.reference]
    assert "Rendre la décision du juge" in rows[waiting.reference]
    assert 'data-testid="yours"' not in rows[earlier.reference]
    assert 'data-testid="awaiting-count"' in page and "1 dossier attend votre action" in page


def test_closing_the_track_is_not_shown_as_a_step_awaiting_anyone(client, minor_personas, walk_to):
    case = walk_to(S.ASSESSED)
    client.force_login(minor_personas["ase75_officer"])  # may close, but the next step is the judge's
    page = client.get("/minors/").content.decode()
    row = page[page.index(case.reference) :].split("</tr>")[0]
    assert 'data-testid="yours"' not in row


def test_the_case_page_marks_the_current_step_of_the_track(client, minor_personas, walk_to):
    case = walk_to(S.SCREENED)
    client.force_login(minor_personas["judge_paris"])
    page = client.get(f"/minors/{case.reference}/").content.decode()
    steps = page[page.index('<ol class="steps"') : page.index("</ol>")]
    assert steps.count('aria-current="step"') == 1
    current = steps.split('aria-current="step"')[1].split("</li>")[0]
    assert str(S.SCREENED.label) in current

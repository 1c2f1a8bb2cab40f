"""A season's contract recorded on the page or through the API, with the worker when the reference is new."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from gmmp.core import clock
from gmmp.mobility import actions
from gmmp.mobility.errors import MobilityRefused
from gmmp.mobility.models import SeasonalContract, Worker
from gmmp.organisations.tokens import api_token_create
from tests.mobility.data import programme


@pytest.fixture
def data(personas):
    return programme(personas)


def _season():
    start = clock.today() + dt.timedelta(days=60)
    return start, start + dt.timedelta(days=150)


def _form(data, **over):
    start, end = _season()
    employer = data["contracts"]["A24"].employer
    return {
        "anapec_ref": "demo-new1",
        "last_name": "DEMO-NOUVEAU",
        "first_name": "Hanane",
        "birth_date": "1995-03-02",
        "employer": employer.pk,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "monthly_wage": "1801.80",
        "housing": "employer",
        **over,
    }


def test_an_officer_records_a_new_worker_and_the_contract_in_one_form(client, personas, data):
    client.force_login(personas["anapec_officer"])
    response = client.post(reverse("mobility:contract_new"), _form(data))
    contract = SeasonalContract.objects.get(worker__anapec_ref="DEMO-NEW1")
    assert response.status_code == 302 and response["Location"] == reverse(
        "mobility:contract", args=[contract.pk]
    )
    assert contract.worker.last_name == "DEMO-NOUVEAU" and contract.season == _season()[0].year
    assert contract.status == "signed"


def test_a_returning_worker_is_found_by_the_reference_without_retyping_the_identity(client, personas, data):
    client.force_login(personas["ofii_officer"])
    workers = Worker.objects.count()
    form = _form(data, anapec_ref="DEMO-D", last_name="", first_name="", birth_date="")
    assert client.post(reverse("mobility:contract_new"), form).status_code == 302
    assert Worker.objects.count() == workers
    assert data["workers"]["D"].contracts.count() == 2


def test_a_name_that_is_not_the_references_is_refused_and_nothing_is_recorded(client, personas, data):
    client.force_login(personas["anapec_officer"])
    contracts = SeasonalContract.objects.count()
    response = client.post(reverse("mobility:contract_new"), _form(data, anapec_ref="DEMO-D"))
    assert response.status_code == 400
    assert "désigne un autre travailleur" in response.content.decode()
    assert SeasonalContract.objects.count() == contracts


def test_a_new_reference_without_the_identity_is_refused_with_a_clear_message(client, personas, data):
    client.force_login(personas["anapec_officer"])
    response = client.post(reverse("mobility:contract_new"), _form(data, last_name="", birth_date=""))
    assert response.status_code == 400
    assert "indiquez le nom, le prénom et la date de naissance" in response.content.decode()
    assert not Worker.objects.filter(anapec_ref="DEMO-NEW1").exists()


def test_the_end_before_the_start_is_a_form_error(client, personas, data):
    client.force_login(personas["anapec_officer"])
    start, _ = _season()
    response = client.post(reverse("mobility:contract_new"), _form(data, end_date=start.isoformat()))
    assert (
        response.status_code == 400
        and "La fin du contrat doit suivre son début." in response.content.decode()
    )


@pytest.mark.parametrize("name", ["pref75_agent", "cg_paris_agent", "dgef_central"])
def test_no_other_role_reaches_the_form_or_the_action(client, personas, data, name):
    client.force_login(personas[name])
    assert client.get(reverse("mobility:contract_new")).status_code == 403
    assert client.post(reverse("mobility:contract_new"), _form(data)).status_code == 403
    start, end = _season()
    with pytest.raises(MobilityRefused):
        actions.seasonal_contract_register(
            user=personas[name],
            anapec_ref="X1",
            employer=data["contracts"]["A24"].employer,
            start_date=start,
            end_date=end,
            monthly_wage=1000,
            housing="employer",
            last_name="X",
            first_name="Y",
            birth_date=dt.date(1990, 1, 1),
        )
    assert not Worker.objects.filter(anapec_ref="X1").exists()


def _api(user, scopes):
    _token, raw = api_token_create(user=user, name="test", scopes=scopes)
    caller = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return lambda path, body: caller.post(path, data=json.dumps(body), content_type="application/json")


def test_the_api_records_a_contract_and_answers_code_and_message_on_a_mistake(personas, data):
    start, end = _season()
    payload = {
        "anapec_ref": "DEMO-NEW2",
        "employer_siret": data["contracts"]["A24"].employer.siret,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "monthly_wage": "1801.80",
        "housing": "employer",
        "last_name": "DEMO-API",
        "first_name": "Sara",
        "birth_date": "1993-05-04",
    }
    post = _api(personas["anapec_officer"], ["mobility:write", "mobility:read"])
    created = post("/api/v1/mobility/contracts", payload)
    assert created.status_code == 201 and created.json()["worker_last_name"] == "DEMO-API"
    again = post("/api/v1/mobility/contracts", payload)  # same dates: overlapping
    assert again.status_code == 422 and set(again.json()) >= {"code", "message"}
    unknown = post("/api/v1/mobility/contracts", {**payload, "employer_siret": "99999999999999"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_employer"
    other = post("/api/v1/mobility/contracts", {**payload, "anapec_ref": "DEMO-D"})
    assert other.status_code == 409 and other.json()["code"] == "worker_mismatch"


@pytest.mark.parametrize("name", ["pref75_agent", "dgef_central"])
def test_the_api_refuses_a_valid_contract_from_anyone_but_the_programme_officers(personas, data, name):
    start, end = _season()
    payload = {
        "anapec_ref": "DEMO-NEW3",
        "employer_siret": data["contracts"]["A24"].employer.siret,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "monthly_wage": "1801.80",
        "housing": "employer",
        "last_name": "DEMO-API",
        "first_name": "Sara",
        "birth_date": "1993-05-04",
    }
    answer = _api(personas[name], ["mobility:write", "mobility:read"])("/api/v1/mobility/contracts", payload)
    assert answer.status_code == 403 and set(answer.json()) >= {"code", "message"}
    assert not Worker.objects.filter(anapec_ref="DEMO-NEW3").exists()


def test_the_api_answer_with_the_workers_identity_is_logged_as_a_read(personas, data):
    from gmmp.audit.models import AccessLog

    start, end = _season()
    payload = {
        "anapec_ref": "DEMO-D",  # a returning worker: the answer shows the identity on record
        "employer_siret": data["contracts"]["A24"].employer.siret,
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "monthly_wage": "1801.80",
        "housing": "employer",
    }
    created = _api(personas["anapec_officer"], ["mobility:write", "mobility:read"])(
        "/api/v1/mobility/contracts", payload
    )
    assert created.status_code == 201 and created.json()["worker_last_name"] == "DEMO-DRISSI"
    log = AccessLog.objects.filter(object_type="seasonal_contract", object_id=str(created.json()["id"]))
    assert [(e.action, e.channel) for e in log] == [("view", "api")]

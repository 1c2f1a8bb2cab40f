"""Filing a request: required fields marked, the size limit said before the upload, the chosen file
re-asked by name after a validation error (never silently dropped), the error summary first and focused."""

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gmmp.cases.models import Case
from gmmp.core import clock

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def form_data(**overrides):
    today = clock.today()
    data = {
        "last_name": "EL AMRANI",
        "first_names": "Hamza",
        "sex": "M",
        "birth_date": "1995",
        "birth_place": "Oujda",
        "removal_order_reference": "OQTF-1",
        "removal_order_date": str(today - dt.timedelta(days=5)),
        "detention_start": str(today - dt.timedelta(days=2)),
        "evidence-category": "proof",
        "evidence-kind": "passport",
        "submit": "1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def agent(client, personas):
    client.force_login(personas["pref75_agent"])
    return client


def test_required_fields_are_marked_and_explained_before_any_error(agent):
    html = agent.get("/cases/new/").content.decode()
    assert "Les champs marqués" in html and "sont obligatoires" in html
    assert '<label for="id_last_name" class="required">' in html
    assert '<label for="id_aliases">' in html  # optional: no mark


def test_the_size_limit_is_stated_before_the_upload(agent):
    html = agent.get("/cases/new/").content.decode()
    assert "10 Mo au plus" in html
    assert 'aria-describedby="id_evidence-file_helptext"' in html


def test_after_an_error_the_chosen_file_is_asked_again_by_name(agent):
    response = agent.post(
        "/cases/new/",
        form_data(last_name="", **{"evidence-file": SimpleUploadedFile("passeport-scan.png", PNG)}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "passeport-scan.png" in html and "choisissez-le à nouveau" in html
    assert not Case.objects.exists()


def test_the_error_summary_comes_first_links_to_each_field_and_takes_the_focus(agent):
    response = agent.post("/cases/new/", form_data(last_name="", birth_date="2099-99"))
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') - 40 :]
    summary = summary[: summary.index("</div>")]
    assert "autofocus" in summary and 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert 'href="#id_last_name"' in summary and 'href="#id_birth_date"' in summary
    assert html.index('id="error-summary"') < html.index('<form method="post"')


def test_a_file_that_is_itself_refused_says_why_and_not_ask_again(agent):
    response = agent.post(
        "/cases/new/", form_data(**{"evidence-file": SimpleUploadedFile("notes.txt", b"hello")})
    )
    html = response.content.decode()
    assert "seuls les PDF, JPEG et PNG" in html
    assert "choisissez-le à nouveau" not in html

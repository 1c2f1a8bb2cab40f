"""Filing a request: required fields marked, the size limit said before the upload, the chosen file
kept across a validation error elsewhere on the page (never silently dropped), the error summary first and focused."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gmmp.cases.evidence import evidence_read
from gmmp.cases.models import Case
from tests.factories import filing_form as form_data

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


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


def _kept_token(html: str) -> str:
    marker = 'name="evidence-pending" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_after_an_error_the_chosen_file_is_kept_and_joined_when_the_form_is_corrected(
    agent, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "files"
    response = agent.post(
        "/cases/new/",
        form_data(last_name="", **{"evidence-file": SimpleUploadedFile("passeport-scan.png", PNG)}),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="kept-file"' in html and "passeport-scan.png" in html
    assert "choisissez-le à nouveau" not in html and not Case.objects.exists()
    token = _kept_token(html)
    # Corrected, sent again without choosing the file: the kept one is joined, then forgotten.
    response = agent.post("/cases/new/", form_data(**{"evidence-pending": token}))
    case = Case.objects.get()
    assert response.status_code == 302
    evidence = case.evidence.get()
    assert evidence.original_name == "passeport-scan.png" and evidence_read(evidence.storage_name) == PNG
    assert not [p for p in (tmp_path / "files" / "evidence").iterdir() if p.name.startswith("pending-")]


def test_a_kept_file_belongs_to_the_session_that_chose_it(agent, client, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    html = agent.post(
        "/cases/new/",
        form_data(last_name="", **{"evidence-file": SimpleUploadedFile("passeport-scan.png", PNG)}),
    ).content.decode()
    token = _kept_token(html)
    other = Client()
    other.force_login(personas["pref75_supervisor"])
    assert other.post("/cases/new/", form_data(**{"evidence-pending": token})).status_code == 302
    assert not Case.objects.get().evidence.exists()  # the other session's token means nothing here


def test_a_new_file_replaces_the_kept_one(agent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    html = agent.post(
        "/cases/new/",
        form_data(last_name="", **{"evidence-file": SimpleUploadedFile("first.png", PNG)}),
    ).content.decode()
    agent.post(
        "/cases/new/",
        form_data(
            **{"evidence-pending": _kept_token(html), "evidence-file": SimpleUploadedFile("second.png", PNG)}
        ),
    )
    assert Case.objects.get().evidence.get().original_name == "second.png"


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

"""Who may call the API at all: tokens (bad, expired, revoked), scopes, the browser session, and the
`gmmp api_token` command that hands tokens out."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from gmmp.cases.enums import CaseState as S
from gmmp.cases.models import Case
from gmmp.organisations.models import ApiToken
from gmmp.organisations.tokens import api_token_create
from tests.factories import make_case

from .test_create import request_body


@pytest.fixture
def case(lpc_ready):
    return make_case(S.ROUTED, **lpc_ready)


def bearer(raw: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer ", "Bearer nonsense", "Bearer gmmp_abc_def", "Token gmmp_x_y", "Basic cGFzczp3b3Jk"],
)
def test_it_answers_401_without_a_valid_token(reference, case, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    for response in (
        client.get("/api/v1/cases/"),
        client.get(f"/api/v1/cases/{case.reference}"),
        client.post("/api/v1/cases/", data=request_body(), content_type="application/json"),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"


def test_it_answers_401_for_a_wrong_secret_with_a_real_prefix(personas, case):
    token, raw = api_token_create(user=personas["pref75_agent"], name="erp", scopes=["cases:read"])
    assert bearer(raw).get("/api/v1/cases/").status_code == 200
    assert bearer(f"gmmp_{token.prefix}_not-the-secret").get("/api/v1/cases/").status_code == 401


def test_it_answers_401_for_an_expired_token(personas, case):
    _token, raw = api_token_create(
        user=personas["pref75_agent"],
        name="erp",
        scopes=["cases:read"],
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert bearer(raw).get(f"/api/v1/cases/{case.reference}").status_code == 401


def test_it_answers_401_for_a_revoked_token_and_for_an_inactive_user(personas, case):
    token, raw = api_token_create(user=personas["pref75_agent"], name="erp", scopes=["cases:read"])
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert bearer(raw).get("/api/v1/cases/").status_code == 401
    _other, raw2 = api_token_create(user=personas["pref75_supervisor"], name="erp2", scopes=["cases:read"])
    personas["pref75_supervisor"].is_active = False
    personas["pref75_supervisor"].save()
    assert bearer(raw2).get("/api/v1/cases/").status_code == 401


@pytest.mark.parametrize("scopes", [["cases:read"], ["register:search"]])
def test_it_refuses_writes_without_the_write_scope(api, case, scopes):
    caller = api("pref75_agent", scopes=scopes)
    before = Case.objects.count()
    created = caller.post("", request_body())
    assert created.status_code == 403 and created.json()["code"] == "forbidden"
    assert "cases:write" in created.json()["message"]
    assert Case.objects.count() == before
    withdrawn = caller.transition(case.reference, "withdraw", {"reason": "released"})
    assert withdrawn.status_code == 403
    from .test_evidence import pdf_file

    assert (
        caller.upload(case.reference, pdf_file(), category="prima_facie", kind="statement").status_code == 403
    )
    case.refresh_from_db()
    assert case.state == S.ROUTED and not case.evidence.exists()


@pytest.mark.parametrize("scopes", [["cases:write"], ["register:search"]])
def test_it_refuses_reads_without_the_read_scope(api, case, scopes):
    caller = api("pref75_agent", scopes=scopes)
    for path in ("", case.reference, f"{case.reference}/events"):
        response = caller.get(path)
        assert response.status_code == 403, path
        assert "cases:read" in response.json()["message"]


def test_the_scope_is_checked_before_the_case_is_looked_up(api, case):
    # A token without the scope learns nothing, not even whether the case exists.
    caller = api("pref92_agent", scopes=["register:search"])
    assert caller.get(case.reference).status_code == caller.get("DI-2026-999999").status_code == 403


def test_the_browser_session_works_with_the_users_own_rights(personas, case):
    client = Client()
    client.force_login(personas["cg_paris_agent"])
    assert client.get(f"/api/v1/cases/{case.reference}").json()["consulate"]["code"] == "CG-PARIS"
    other = Client()
    other.force_login(personas["cg_lyon_agent"])
    assert other.get(f"/api/v1/cases/{case.reference}").status_code == 404


def test_a_session_write_needs_the_csrf_token(personas, case):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["pref75_agent"])
    response = client.post("/api/v1/cases/", data=request_body(), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Case.objects.filter(removal_order_reference="OQTF-75-2026-0420").exists()


# ---------------------------------------------------------------------------------------------- the command


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_creates_a_token_that_works_once_printed(personas, case):
    raw, note = run(
        "create",
        "--user",
        "cg_paris_agent",
        "--name",
        "Système consulaire",
        "--scopes",
        "cases:read,cases:write",
        "--days",
        "30",
    )
    assert raw.startswith("gmmp_") and "shown only now" in note
    token = ApiToken.objects.get(name="Système consulaire")
    assert token.scopes == ["cases:read", "cases:write"]
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert raw.split("_", 2)[2] not in token.secret_hash
    assert bearer(raw).get(f"/api/v1/cases/{case.reference}").status_code == 200


def test_the_command_lists_tokens_without_secrets_and_revokes_by_prefix(personas, case):
    raw, _ = run("create", "--user", "pref75_agent", "--name", "erp", "--scopes", "cases:read")
    prefix = raw.split("_")[1]
    listing, _ = run("list")
    assert prefix in listing and "pref75_agent" in listing and "active" in listing
    assert raw not in listing
    done, _ = run("revoke", prefix)
    assert "revoked" in done
    assert "revoked" in run("list", "--user", "pref75_agent")[0]
    assert bearer(raw).get("/api/v1/cases/").status_code == 401


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--user", "nobody", "--name", "x", "--scopes", "cases:read"], "No user"),
        (["create", "--user", "pref75_agent", "--name", "x", "--scopes", "cases:delete"], "cases:delete"),
        (["create", "--user", "pref75_agent", "--name", "x", "--scopes", ","], "(none given)"),
        (["create", "--user", "pref75_agent", "--name", " ", "--scopes", "cases:read"], "name"),
        (
            ["create", "--user", "pref75_agent", "--name", "x", "--scopes", "cases:read", "--days", "0"],
            "--days",
        ),
        (["revoke", "doesnotexist"], "No token"),
    ],
)
def test_the_command_refuses_bad_arguments_and_creates_nothing(personas, args, message):
    before = ApiToken.objects.count()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args)
    assert ApiToken.objects.count() == before

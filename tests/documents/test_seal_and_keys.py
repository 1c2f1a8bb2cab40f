import base64
import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from gmmp.documents.keys import KeyStore
from gmmp.documents.seal import PREFIX, SealData, SealStatus, seal_check, seal_decode, seal_encode, seal_make

TODAY = dt.date(2026, 11, 23)


def _data(store, **overrides):
    values = dict(
        kid=store.current_kid(),
        number="CG-PARIS-2026-00001",
        last_name="EL IDRISSI",
        first_names="Mohamed",
        birth_date="1994",
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=29),
        issuer="CG-PARIS",
    )
    values.update(overrides)
    return SealData(**values)


@pytest.fixture
def store(tmp_path):
    s = KeyStore(tmp_path / "keys")
    s.rotate()
    return s


def test_a_signed_seal_decodes_to_what_was_signed_and_fits_a_qr_code(store):
    seal = seal_make(_data(store), store.sign)
    assert seal.startswith(PREFIX) and len(seal) < 400
    check = seal_check(seal, store.public_keys(), TODAY)
    assert check.status == SealStatus.VALID
    assert check.data == _data(store)


def test_a_seal_is_found_inside_a_url_with_spaces_and_lowercase(store):
    seal = seal_make(_data(store), store.sign)
    typed = f"https://gmmp.example/lpc/verify/?p={seal[:40].lower()} {seal[40:]}"
    assert seal_check(typed, store.public_keys(), TODAY).status == SealStatus.VALID


def test_a_changed_field_makes_the_seal_forged(store):
    seal = seal_make(_data(store), store.sign)
    data, body, signature = seal_decode(seal)
    tampered = seal_encode(body.replace(b"20261222", b"20270122"), signature)
    check = seal_check(tampered, store.public_keys(), TODAY)
    assert (check.status, check.reason) == (SealStatus.FORGED, "bad_signature")
    assert check.data is None


def test_a_seal_signed_by_an_unknown_key_is_forged(store, tmp_path):
    other = KeyStore(tmp_path / "other")
    other.rotate()
    seal = seal_make(_data(other), other.sign)
    check = seal_check(seal, store.public_keys(), TODAY)
    assert (check.status, check.reason) == (SealStatus.FORGED, "unknown_key")


@pytest.mark.parametrize("text", ["", "hello", "LPC1-", "LPC1-AAAA", "LPC1-" + "A" * 200])
def test_garbage_is_forged_not_an_error(store, text):
    assert seal_check(text, store.public_keys(), TODAY).status == SealStatus.FORGED


def test_validity_dates_decide_expired_and_not_yet_valid(store):
    seal = seal_make(_data(store), store.sign)
    keys = store.public_keys()
    assert seal_check(seal, keys, TODAY + dt.timedelta(days=29)).status == SealStatus.VALID
    assert seal_check(seal, keys, TODAY + dt.timedelta(days=30)).status == SealStatus.EXPIRED
    assert seal_check(seal, keys, TODAY - dt.timedelta(days=1)).status == SealStatus.NOT_YET_VALID


def test_rotation_keeps_old_seals_verifiable_and_destroys_the_old_private_key(store):
    old_kid = store.current_kid()
    old_seal = seal_make(_data(store), store.sign)
    new_kid = store.rotate()
    assert new_kid != old_kid
    assert not (store.directory / f"{old_kid}.pem").exists()
    assert (store.directory / f"{new_kid}.pem").exists()
    keys = store.public_keys()
    assert set(keys) == {old_kid, new_kid}
    assert seal_check(old_seal, keys, TODAY).status == SealStatus.VALID
    new_seal = seal_make(_data(store, kid=new_kid), store.sign)
    assert seal_check(new_seal, keys, TODAY).status == SealStatus.VALID
    document = store.public_document()
    assert document["current"] == new_kid
    assert [k["retired"] is not None for k in document["keys"]] == [True, False]


def test_a_key_id_cannot_be_attached_to_another_key(store):
    document = store.public_document()
    document["keys"][0]["kid"] = "deadbeef"
    with pytest.raises(ValueError):
        from gmmp.documents.keys import keyset_from_json

        keyset_from_json(document)


def test_the_private_key_file_is_readable_by_the_owner_only(store):
    mode = (store.directory / f"{store.current_kid()}.pem").stat().st_mode & 0o777
    assert mode == 0o600


# The command line verifier: public keys alone (a keys.json file), no database.


def _keys_file(store, tmp_path):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(store.public_document()))
    return str(path)


def test_cli_verify_accepts_a_valid_seal_with_the_published_keys_only(store, tmp_path, capsys):
    seal = seal_make(_data(store), store.sign)
    with translation.override("fr"):  # whatever language an earlier test left active
        call_command("lpc", "verify", seal, "--keys", _keys_file(store, tmp_path), "--date", "2026-11-30")
    out = capsys.readouterr().out
    assert "VALIDE" in out and "CG-PARIS-2026-00001" in out and "EL IDRISSI" in out


def test_cli_verify_json_output(store, tmp_path, capsys):
    seal = seal_make(_data(store), store.sign)
    call_command(
        "lpc", "verify", seal, "--keys", _keys_file(store, tmp_path), "--date", "2026-11-30", "--json"
    )
    result = json.loads(capsys.readouterr().out)
    assert (
        result["status"] == "valid"
        and result["valid_to"] == "2026-12-22"
        and result["key_id"] == store.current_kid()
    )


@pytest.mark.parametrize("when, fragment", [("2027-01-15", "EXPIRÉ"), ("2026-11-01", "PAS ENCORE VALABLE")])
def test_cli_verify_fails_outside_the_validity(store, tmp_path, capsys, when, fragment):
    seal = seal_make(_data(store), store.sign)
    with pytest.raises(CommandError):
        call_command("lpc", "verify", seal, "--keys", _keys_file(store, tmp_path), "--date", when)
    assert fragment in capsys.readouterr().out


def test_cli_verify_fails_on_a_tampered_seal(store, tmp_path):
    seal = seal_make(_data(store), store.sign)
    raw = bytearray(base64.b32decode(seal[5:] + "=" * (-len(seal[5:]) % 8)))
    raw[32] ^= 0x01  # a letter of the name
    tampered = "LPC1-" + base64.b32encode(bytes(raw)).decode().rstrip("=")
    with pytest.raises(CommandError, match="signature invalide"):
        call_command("lpc", "verify", tampered, "--keys", _keys_file(store, tmp_path), "--date", "2026-11-30")


def test_cli_verify_without_any_key_says_where_to_find_them(settings, tmp_path):
    settings.LPC_KEYS_DIR = str(tmp_path / "empty")
    with pytest.raises(CommandError, match="keys.json"):
        call_command("lpc", "verify", "LPC1-AAAA")


def test_cli_keys_rotate_and_list(settings, tmp_path, capsys):
    settings.LPC_KEYS_DIR = str(tmp_path / "cli")
    call_command("lpc", "keys", "rotate")
    call_command("lpc", "keys", "rotate")
    call_command("lpc", "keys", "list")
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith(("*", " "))]
    assert len(lines) == 2 and lines[1].startswith("*")

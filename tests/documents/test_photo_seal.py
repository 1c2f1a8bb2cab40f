"""The photo in the seal: the signed seal carries a digest of the holder's photo, and the border and
public verification say whether the photo on record is the one that was sealed."""

import pytest
from django.core.cache import cache
from django.test import Client

from gmmp.cases.actions import case_issue_laissez_passer
from gmmp.cases.enums import CaseState
from gmmp.documents import photos
from gmmp.documents.actions import lpc_photo_exception_record
from gmmp.documents.keys import key_store
from gmmp.documents.seal import photo_digest, seal_decode, seal_encode
from gmmp.documents.selectors import PhotoSeal, lpc_current, lpc_photo_check
from tests.factories import make_case

from .conftest import photo_bytes

VERIFY = "/lpc/verify/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()  # the shared cache is a database table


def _issued(lpc_ready, **kw):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"], **kw)
    return lpc_current(case)


def test_the_seal_carries_the_digest_of_the_stored_photo(lpc_ready):
    lpc = _issued(lpc_ready, photo=photo_bytes())
    sealed = seal_decode(lpc.seal)[0].photo
    assert sealed and sealed == photo_digest(photos.photo_read(lpc.photo_storage_name))


def test_verification_says_the_photo_matches_the_seal(lpc_ready):
    lpc = _issued(lpc_ready, photo=photo_bytes())
    body = Client().post(VERIFY, {"payload": lpc.seal}).content.decode()
    assert 'data-testid="photo-seal" data-status="match"' in body
    # Typed by number and check code: the seal on record is the reference.
    body = Client().post(VERIFY, {"number": lpc.number, "check_code": lpc.check_code}).content.decode()
    assert 'data-status="match"' in body


def test_a_photo_swapped_on_record_after_issue_no_longer_matches(lpc_ready):
    lpc = _issued(lpc_ready, photo=photo_bytes())
    name, _digest = photos.photo_store(photos.photo_normalise(photo_bytes(size=(300, 300))))
    lpc.photo_storage_name = name
    lpc.save(update_fields=["photo_storage_name"])
    assert lpc_photo_check(lpc, lpc.seal).status == PhotoSeal.MISMATCH
    body = Client().post(VERIFY, {"payload": lpc.seal}).content.decode()
    assert 'data-status="mismatch"' in body


def test_a_document_issued_without_a_photo_says_so(lpc_ready, personas):
    case = make_case(CaseState.IDENTIFIED, **lpc_ready)
    lpc_photo_exception_record(
        case=case, user=personas["cg_paris_supervisor"], reason="Personne hospitalisée, photo impossible"
    )
    case_issue_laissez_passer(case=case, user=lpc_ready["consulate_user"])
    lpc = lpc_current(case)
    assert seal_decode(lpc.seal)[0].photo == ""
    assert lpc_photo_check(lpc, lpc.seal).status == PhotoSeal.NONE_SEALED


def test_a_seal_from_before_photos_were_sealed_still_verifies(lpc_ready):
    lpc = _issued(lpc_ready, photo=photo_bytes())
    data = seal_decode(lpc.seal)[0]
    # A version-1 body: nine fields, no photo digest, signed by the same key.
    body_v1 = "\x1f".join(
        ("1", data.kid, data.number, data.last_name, data.first_names, data.birth_date)
        + (f"{data.valid_from:%Y%m%d}", f"{data.valid_to:%Y%m%d}", data.issuer)
    ).encode()
    _kid, signature = key_store().sign(body_v1)
    old = seal_encode(body_v1, signature)
    decoded = seal_decode(old)[0]
    assert (decoded.version, decoded.photo, decoded.number) == ("1", "", lpc.number)
    assert lpc_photo_check(lpc, old).status == PhotoSeal.NOT_SEALED
    body = Client().post(VERIFY, {"payload": old}).content.decode()
    assert 'data-status="valid"' in body and 'data-status="not_sealed"' in body

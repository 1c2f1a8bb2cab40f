"""The visible digital seal printed as a QR code on the laissez-passer, and its offline check.

Text form:  ``LPC1-`` + base32 (RFC 4648, no padding) of ``body || signature``
    body       UTF-8 of the fields below joined by U+001F (unit separator)
    signature  ECDSA P-256 / SHA-256 over ``body``, raw r || s (64 bytes)

Fields: version, key id, number, holder's last name, first names, date of birth (as established,
possibly partial), valid from and valid to (YYYYMMDD), issuing consulate code, and (version 2) the
first 20 hex digits of the SHA-256 of the holder's photo as stored (normalised JPEG; empty when the
document was issued without a photo). A verifier hashes the photo the record shows and compares: a
photo swapped on the record after issue no longer matches what was signed. Version 1 seals (no
photo digest) still verify.

Base32 keeps the text inside the QR "alphanumeric" mode (dense) and inside what survives a shell
argument, a copy-paste or a hand-held scanner typing into a text field (no spaces, no $ or %).
A typical seal is about 230 characters: a version 10 QR code at level M.

Nothing here reads the database: `seal_check` needs only the public keys (`gmmp lpc verify`).
"""

import base64
import binascii
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from .keys import SIGNATURE_BYTES, PublicKey, signature_verify

PREFIX = "LPC1-"
VERSION = "2"
PHOTO_DIGEST_HEX = 20  # 80 bits: a second photo with the same digest is out of reach
SEP = "\x1f"
FIELDS = (
    "version",
    "kid",
    "number",
    "last_name",
    "first_names",
    "birth_date",
    "valid_from",
    "valid_to",
    "issuer",
    "photo",
)
FIELDS_V1 = FIELDS[:-1]
_FIND = re.compile(r"LPC1-[A-Z2-7]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SealData:
    kid: str
    number: str
    last_name: str
    first_names: str
    birth_date: str
    valid_from: dt.date
    valid_to: dt.date
    issuer: str
    photo: str = ""  # PHOTO_DIGEST_HEX hex digits of the photo's SHA-256, "" without a photo
    version: str = VERSION  # of a decoded seal: "1" carries no photo digest


def photo_digest(jpeg: bytes | None) -> str:
    return hashlib.sha256(jpeg).hexdigest()[:PHOTO_DIGEST_HEX] if jpeg else ""


class MalformedSeal(ValueError):
    pass


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", value or "").strip()


def seal_body(data: SealData) -> bytes:
    values = [
        VERSION,
        data.kid,
        data.number,
        data.last_name,
        data.first_names,
        data.birth_date,
        f"{data.valid_from:%Y%m%d}",
        f"{data.valid_to:%Y%m%d}",
        data.issuer,
        data.photo,
    ]
    return SEP.join(_clean(v) for v in values).encode()


def seal_encode(body: bytes, signature: bytes) -> str:
    return PREFIX + base64.b32encode(body + signature).decode().rstrip("=")


def seal_make(data: SealData, signer) -> str:
    """Sign with `signer(message) -> (kid, signature)`; the data's kid must be the signer's."""
    body = seal_body(data)
    kid, signature = signer(body)
    if kid != data.kid:
        raise ValueError("the seal names a key other than the one that signed it")
    return seal_encode(body, signature)


def seal_extract(text: str) -> str | None:
    """The seal inside what a scanner or a person typed (a bare seal, a URL carrying it, spaces)."""
    compact = re.sub(r"\s+", "", text or "").upper()
    match = _FIND.search(compact)
    return match.group(0) if match else None


def seal_decode(text: str) -> tuple[SealData, bytes, bytes]:
    """(data, body, signature) or MalformedSeal. Says nothing about authenticity."""
    seal = seal_extract(text)
    if seal is None:
        raise MalformedSeal("no LPC1 seal in the text")
    encoded = seal[len(PREFIX) :]
    try:
        raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    except (binascii.Error, ValueError) as exc:
        raise MalformedSeal("not base32") from exc
    if len(raw) <= SIGNATURE_BYTES:
        raise MalformedSeal("too short")
    body, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        values = body.decode().split(SEP)
    except UnicodeDecodeError as exc:
        raise MalformedSeal("not UTF-8") from exc
    if values[0] == "1" and len(values) == len(FIELDS_V1):
        values.append("")  # issued before photos were sealed
    elif values[0] != VERSION or len(values) != len(FIELDS):
        raise MalformedSeal("unexpected fields")
    fields = dict(zip(FIELDS, values, strict=True))
    try:
        valid_from = dt.datetime.strptime(fields["valid_from"], "%Y%m%d").date()
        valid_to = dt.datetime.strptime(fields["valid_to"], "%Y%m%d").date()
    except ValueError as exc:
        raise MalformedSeal("bad dates") from exc
    data = SealData(
        kid=fields["kid"],
        number=fields["number"],
        last_name=fields["last_name"],
        first_names=fields["first_names"],
        birth_date=fields["birth_date"],
        valid_from=valid_from,
        valid_to=valid_to,
        issuer=fields["issuer"],
        photo=fields["photo"],
        version=fields["version"],
    )
    return data, body, signature


class SealStatus:
    VALID = "valid"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    FORGED = "forged"


@dataclass(frozen=True)
class SealCheck:
    status: str
    reason: str  # why a seal is forged: malformed, unknown_key, bad_signature
    data: SealData | None


def seal_check(text: str, public_keys: dict[str, PublicKey], today: dt.date) -> SealCheck:
    """Authenticity and validity dates from the seal alone (offline: knows nothing of revocation)."""
    try:
        data, body, signature = seal_decode(text)
    except MalformedSeal:
        return SealCheck(SealStatus.FORGED, "malformed", None)
    public = public_keys.get(data.kid)
    if public is None:
        return SealCheck(SealStatus.FORGED, "unknown_key", None)
    if not signature_verify(public, body, signature):
        return SealCheck(SealStatus.FORGED, "bad_signature", None)
    if today < data.valid_from:
        return SealCheck(SealStatus.NOT_YET_VALID, "", data)
    if today > data.valid_to:
        return SealCheck(SealStatus.EXPIRED, "", data)
    return SealCheck(SealStatus.VALID, "", data)

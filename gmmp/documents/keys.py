"""Signing keys for laissez-passer seals: ECDSA P-256, as ICAO 9303 visible digital seals use.

Layout under DATA_DIR/keys/ (or GMMP_LPC_KEYS_DIR):
    public.json      every key ever used, with its id, public point and dates (published as keys.json)
    <kid>.pem        the private key of the *current* key only (mode 0600)

A key id is derived from the public key (first 8 hex digits of the SHA-256 of its DER form), so a
key cannot be swapped under an id. Rotation makes a new current key and deletes the old private key:
documents signed before stay verifiable with the public key kept in public.json, and nobody can
sign with the old key any more.

In production the private key need not be a file: GMMP_LPC_SIGNING_KEY holds the current key (PEM,
PKCS#8) in the environment (from the secret store); it is registered in public.json as the current
key on first use and never written to disk. A PKCS#11 token (HSM) would plug in at `KeyStore.sign`
(the only place that uses the private key): see README, "LPC signing keys".

This module has no Django model: the verifier (`gmmp lpc verify`) needs nothing but public.json.
"""

import base64
import datetime as dt
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

CURVE = ec.SECP256R1()
ALGORITHM = "ES256"
SIGNATURE_BYTES = 64  # raw r || s, 32 bytes each


class NoSigningKey(Exception):
    """There is no current signing key in the keys directory."""


def keys_dir() -> Path:
    from django.conf import settings

    configured = getattr(settings, "LPC_KEYS_DIR", None) or os.environ.get("GMMP_LPC_KEYS_DIR")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "keys"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id_for(public_key: ec.EllipticCurvePublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:8]


@dataclass(frozen=True)
class PublicKey:
    kid: str
    key: ec.EllipticCurvePublicKey
    created: str
    retired: str | None

    def as_jwk(self) -> dict:
        numbers = self.key.public_numbers()
        return {
            "kid": self.kid,
            "kty": "EC",
            "crv": "P-256",
            "alg": ALGORITHM,
            "use": "sig",
            "x": _b64url(numbers.x.to_bytes(32, "big")),
            "y": _b64url(numbers.y.to_bytes(32, "big")),
            "created": self.created,
            "retired": self.retired,
        }


def public_key_from_jwk(jwk: dict) -> PublicKey:
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise ValueError("unsupported key type")
    x = int.from_bytes(_unb64url(jwk["x"]), "big")
    y = int.from_bytes(_unb64url(jwk["y"]), "big")
    key = ec.EllipticCurvePublicNumbers(x, y, CURVE).public_key()
    kid = key_id_for(key)
    if jwk.get("kid") and jwk["kid"] != kid:
        raise ValueError("key id does not match the key")
    return PublicKey(kid=kid, key=key, created=jwk.get("created", ""), retired=jwk.get("retired"))


def keyset_from_json(document: dict) -> dict[str, PublicKey]:
    keys = {}
    for jwk in document.get("keys", []):
        found = public_key_from_jwk(jwk)
        keys[found.kid] = found
    return keys


class KeyStore:
    """The keys in one directory. Reloads when public.json changes (a rotation by another process)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._public: dict[str, PublicKey] = {}
        self._current: str | None = None
        self._private: ec.EllipticCurvePrivateKey | None = None

    @property
    def public_path(self) -> Path:
        return self.directory / "public.json"

    def _load(self) -> None:
        try:
            stat = self.public_path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp == self._stamp and stamp is not None:
            return
        with self._lock:
            if stamp is None:
                self._public, self._current, self._private, self._stamp = {}, None, None, None
                return
            document = json.loads(self.public_path.read_text())
            self._public = keyset_from_json(document)
            self._current = document.get("current")
            self._private = None
            self._stamp = stamp

    def public_keys(self) -> dict[str, PublicKey]:
        self._load()
        return dict(self._public)

    def public_document(self) -> dict:
        """What is published at /lpc/keys.json and what `gmmp lpc verify --keys` reads."""
        self._load()
        return {
            "issuer": "GMMP laissez-passer consulaire",
            "algorithm": ALGORITHM,
            "current": self._current,
            "keys": [k.as_jwk() for k in sorted(self._public.values(), key=lambda k: k.created)],
        }

    def current_kid(self) -> str | None:
        self._load()
        return self._current

    def _env_key(self) -> tuple[str, ec.EllipticCurvePrivateKey] | None:
        pem = os.environ.get("GMMP_LPC_SIGNING_KEY", "").strip()
        if not pem:
            return None
        private = serialization.load_pem_private_key(pem.replace("\\n", "\n").encode(), password=None)
        if not isinstance(private, ec.EllipticCurvePrivateKey) or private.curve.name != CURVE.name:
            raise NoSigningKey("GMMP_LPC_SIGNING_KEY must be an EC P-256 private key (PEM)")
        kid = key_id_for(private.public_key())
        if self.current_kid() != kid:
            self._register_current(private.public_key())
        return kid, private

    def _private_key(self) -> tuple[str, ec.EllipticCurvePrivateKey]:
        from_env = self._env_key()
        if from_env is not None:
            return from_env
        self._load()
        if self._current is None:
            raise NoSigningKey("no signing key: run `gmmp lpc keys rotate`")
        private = self._private
        if private is None:
            pem = (self.directory / f"{self._current}.pem").read_bytes()
            key = serialization.load_pem_private_key(pem, password=None)
            if not isinstance(key, ec.EllipticCurvePrivateKey):
                raise NoSigningKey(f"key {self._current} is not an elliptic-curve key")
            private = self._private = key
        return self._current, private

    def ensure_key(self) -> str:
        """The current key id, creating the first key if there is none yet (fresh data directory)."""
        from_env = self._env_key()
        if from_env is not None:
            return from_env[0]
        kid = self.current_kid()
        return self.rotate() if kid is None else kid

    def rotate(self, *, now: dt.datetime | None = None) -> str:
        """Make a new current key; retire the previous one (its private part is deleted)."""
        if os.environ.get("GMMP_LPC_SIGNING_KEY", "").strip():
            raise NoSigningKey(
                "the signing key comes from GMMP_LPC_SIGNING_KEY: rotate it in the secret store "
                "(the new key is registered on first use)"
            )
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        private = ec.generate_private_key(CURVE)
        kid = key_id_for(private.public_key())
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        fd = os.open(self.directory / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        return self._register_current(private.public_key(), now=now)

    def _register_current(self, public: ec.EllipticCurvePublicKey, *, now: dt.datetime | None = None) -> str:
        """Publish `public` as the current key in public.json; retire (and delete) the previous one."""
        now = now or dt.datetime.now(dt.UTC)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        kid = key_id_for(public)
        document = json.loads(self.public_path.read_text()) if self.public_path.exists() else {"keys": []}
        previous = document.get("current")
        for jwk in document["keys"]:
            if jwk["kid"] == previous and not jwk.get("retired"):
                jwk["retired"] = now.isoformat(timespec="seconds")
        document["keys"].append(
            PublicKey(kid=kid, key=public, created=now.isoformat(timespec="seconds"), retired=None).as_jwk()
        )
        document["current"] = kid
        tmp = self.public_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(document, indent=2))
        os.replace(tmp, self.public_path)
        if previous and previous != kid:
            (self.directory / f"{previous}.pem").unlink(missing_ok=True)
        self._stamp = None
        return kid

    def sign(self, message: bytes) -> tuple[str, bytes]:
        kid, private = self._private_key()
        der = private.sign(message, ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return kid, r.to_bytes(32, "big") + s.to_bytes(32, "big")


def signature_verify(public: PublicKey, message: bytes, signature: bytes) -> bool:
    if len(signature) != SIGNATURE_BYTES:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public.key.verify(der, message, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


_stores: dict[Path, KeyStore] = {}


def key_store() -> KeyStore:
    """The store for the configured directory (one per directory, shared by the process)."""
    directory = keys_dir()
    store = _stores.get(directory)
    if store is None:
        store = _stores[directory] = KeyStore(directory)
    return store

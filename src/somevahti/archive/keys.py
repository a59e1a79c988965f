"""Organisation signing keys (Ed25519) in key files outside the database.

``<dir>/<org>.key`` holds the private key (PKCS#8 PEM, mode 0600, encrypted with
``SOMEVAHTI_ARCHIVE_KEY_PASSPHRASE`` when that is set); ``<dir>/<org>.pub`` and any
``<dir>/<org>.*.pub`` (earlier, rotated keys) hold trusted public keys as base64 of the raw 32
bytes. The database stores only public keys beside the signatures; verification trusts a
checkpoint only when its key is one of the trusted public keys.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from somevahti.errors import SomevahtiError
from somevahti.i18n import _

PASSPHRASE_ENV = "SOMEVAHTI_ARCHIVE_KEY_PASSPHRASE"  # noqa: S105 - the name of an environment variable
ORG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_b64: str) -> str:
    """The first 16 hex digits of SHA-256 over the raw public key."""
    return hashlib.sha256(base64.b64decode(public_b64)).hexdigest()[:16]


def verify_signature(public_b64: str, signature_b64: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64)).verify(
            base64.b64decode(signature_b64), message
        )
        return True
    except (InvalidSignature, ValueError):
        return False


class KeyStore:
    def __init__(self, directory: str | os.PathLike) -> None:
        self.dir = Path(directory)

    def _check_org(self, org: str) -> None:
        if not ORG_RE.match(org):
            raise SomevahtiError(
                _("organisation id %(org)r: use lower-case letters, digits, '.', '_' or '-'") % {"org": org}
            )

    def private_path(self, org: str) -> Path:
        self._check_org(org)
        return self.dir / f"{org}.key"

    def public_path(self, org: str) -> Path:
        self._check_org(org)
        return self.dir / f"{org}.pub"

    def has_key(self, org: str) -> bool:
        return self.private_path(org).exists()

    def create(self, org: str) -> str:
        """Create the organisation's key (never overwrites one); return the public key (base64)."""
        path = self.private_path(org)
        if path.exists():
            return self.public_key(org)
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = Ed25519PrivateKey.generate()
        passphrase = os.environ.get(PASSPHRASE_ENV)
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        public = base64.b64encode(raw_public(key.public_key())).decode()
        self.public_path(org).write_text(public + "\n", "ascii")
        return public

    def private_key(self, org: str) -> Ed25519PrivateKey:
        path = self.private_path(org)
        if not path.exists():
            raise SomevahtiError(
                _("no signing key for organisation %(org)s in %(dir)s: run `somevahti archive init`")
                % {"org": org, "dir": self.dir}
            )
        passphrase = os.environ.get(PASSPHRASE_ENV)
        try:
            return serialization.load_pem_private_key(
                path.read_bytes(), passphrase.encode() if passphrase else None
            )
        except (TypeError, ValueError) as e:
            raise SomevahtiError(
                _("cannot read the signing key %(path)s: %(error)s (is %(env)s set?)")
                % {"path": path, "error": e, "env": PASSPHRASE_ENV}
            ) from e

    def public_key(self, org: str) -> str:
        return base64.b64encode(raw_public(self.private_key(org).public_key())).decode()

    def trusted(self, org: str) -> set[str]:
        """Trusted public keys (base64) of the organisation: its .pub files."""
        self._check_org(org)
        if not self.dir.is_dir():
            return set()
        found = set()
        for p in self.dir.glob(f"{org}*.pub"):
            if p.name == f"{org}.pub" or p.name.startswith(f"{org}."):
                found.add(p.read_text("ascii").strip())
        return found

    def sign(self, org: str, message: bytes) -> tuple[str, str]:
        """(public key, signature), both base64."""
        key = self.private_key(org)
        return (
            base64.b64encode(raw_public(key.public_key())).decode(),
            base64.b64encode(key.sign(message)).decode(),
        )

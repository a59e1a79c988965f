"""Platform tokens encrypted at rest (Fernet: AES-128-CBC with HMAC-SHA256).

The key comes from ``SOMEVAHTI_CHANNEL_KEY`` (generate one with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``);
it is never stored beside the tokens nor in the repository. Several keys separated by commas
rotate: the first encrypts, all decrypt.
"""

from __future__ import annotations

import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from somevahti.errors import SomevahtiError
from somevahti.i18n import _

KEY_ENV = "SOMEVAHTI_CHANNEL_KEY"


def _fernet(keys: str | None = None) -> MultiFernet:
    keys = keys if keys is not None else os.environ.get(KEY_ENV, "")
    parts = [k.strip() for k in keys.split(",") if k.strip()]
    if not parts:
        raise SomevahtiError(_("set %s to store platform tokens (a Fernet key)") % KEY_ENV)
    try:
        return MultiFernet([Fernet(k) for k in parts])
    except ValueError:
        raise SomevahtiError(_("%s is not a valid Fernet key") % KEY_ENV) from None


def encrypt(token: str, keys: str | None = None) -> str:
    return _fernet(keys).encrypt(token.encode("utf-8")).decode("ascii")


def decrypt(sealed: str, keys: str | None = None) -> str:
    try:
        return _fernet(keys).decrypt(sealed.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise SomevahtiError(_("a stored platform token cannot be decrypted with %s") % KEY_ENV) from None

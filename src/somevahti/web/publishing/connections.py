"""Connecting an account for publishing: the connector's own credential fields (a server for
Mastodon, an identifier and app password for Bluesky, a directory for the file stand-in) on the
account's one :class:`~somevahti.web.inbox.models.Connection` (``somevahti channel connect`` and the
inbox use the same row), secrets sealed at rest, never shown back; re-authorising replaces only what
is given."""

from __future__ import annotations

import contextlib

from django.utils import timezone
from django.utils.translation import gettext as _

from somevahti import channels
from somevahti.channels.base import ChannelError
from somevahti.channels.publishing import PublishError, PublishingConnector
from somevahti.errors import SomevahtiError
from somevahti.web.core import policy
from somevahti.web.inbox.models import Connection
from somevahti.web.publishing.services import Refused


def publishing_connectors() -> list[str]:
    found = []
    for name in channels.available():
        cls = channels.get(name)
        if issubclass(cls, PublishingConnector) and getattr(cls, "credential_fields", None):
            found.append(name)
    return found


def fields_of(connector: str):
    return tuple(getattr(channels.get(connector), "credential_fields", ()))


def _connection_to_set(user, account, connector: str) -> Connection:
    """The account's one connection, about to be given new credentials by ``user`` (refused unless a
    communications admin, for a publishing connector); a change of connector starts from nothing."""
    if not policy.can_manage_connections(user):
        raise Refused(_("Only communications admins connect accounts."))
    if connector not in publishing_connectors():
        raise Refused(_("Unknown connector: %(name)s.") % {"name": connector})
    conn = Connection.objects.filter(account=account).first() or Connection(account=account)
    if conn.pk is not None and conn.connector != connector:
        conn.secrets_sealed, conn.settings, conn.base_url = "", {}, ""
    conn.connector = connector
    return conn


def connect(user, account, connector: str, values: dict[str, str]) -> Connection:
    """Store the account's one connection (the inbox reads and answers through the same row); a secret
    left empty keeps the stored one, a change of connector starts from nothing."""
    conn = _connection_to_set(user, account, connector)
    try:
        stored = conn.secrets()
    except SomevahtiError as e:
        raise Refused(str(e)) from None
    given: dict[str, str] = {}
    for f in fields_of(connector):
        value = (values.get(f.name) or "").strip()
        if f.required and not value and not (f.secret and stored.get(f.name)):
            raise Refused(_("%(field)s is needed.") % {"field": _(f.label)}, field=f.name)
        if value:
            given[f.name] = value
    try:
        conn.set_credentials(given)
    except SomevahtiError as e:
        raise Refused(str(e)) from None
    conn.connected_by, conn.last_error = user, ""
    conn.save()
    return conn


GRANT_FIELDS = frozenset(
    {"access_token", "refresh_token", "expires_at", "refresh_expires_at", "data_access_expires_at", "scope"}
)


def connect_oauth(user, account, connector: str, values: dict, *, connected_as: str = "") -> Connection:
    """Store what an OAuth flow gave (:mod:`somevahti.web.publishing.oauth`) on the account's one
    connection: the tokens sealed, the other fields kept beside what the connection already has, the
    last error cleared. The connection's history shows the new token as "token"."""
    conn = _connection_to_set(user, account, connector)
    # a new grant replaces the old one whole: no expiry or refresh token of the old grant stays behind
    conn.settings = {k: v for k, v in (conn.settings or {}).items() if k not in GRANT_FIELDS}
    try:
        kept = {k: v for k, v in conn.secrets().items() if k not in GRANT_FIELDS}
        conn.secrets_sealed = ""
        conn.set_credentials({**kept, **{k: v for k, v in values.items() if v not in (None, "")}})
    except SomevahtiError as e:  # e.g. SOMEVAHTI_CHANNEL_KEY is not set: nothing is stored
        raise Refused(str(e)) from None
    conn.connected_by, conn.last_error = user, ""
    if connected_as:
        conn.connected_as, conn.checked_at = connected_as, timezone.now()
    conn.save()
    if not connected_as:  # the token answer did not say who: ask the platform now, as the test button does
        with contextlib.suppress(Refused):  # the reason stays on the connection as its last error
            test(conn)
    return conn


def credentials(conn: Connection) -> dict:
    """The connector's fields, secrets decrypted, and the account it stands for (the file stand-in
    takes the platform's limits from it)."""
    return {"platform": conn.account.platform, "handle": conn.account.handle, **conn.credentials()}


def connector_for(conn: Connection):
    return channels.get(conn.connector).from_credentials(credentials(conn))


def renewed_connector_for(conn: Connection):
    """The connection's connector, its token renewed first when it expires within ten minutes (the
    renewal is stored): what every scheduled call to the platform uses."""
    connector = connector_for(conn)
    if renew_if_expiring(conn, connector):
        connector = connector_for(conn)  # built again: the old one still holds the old token
    return connector


def connector_for_account(account_id: str):
    """The publish engine's connector for ``PLATFORM:HANDLE``: built from the account's connection,
    its token renewed first when it expires within ten minutes. ``publishing.NotFound`` when the
    registry has no such account or it has no connection."""
    from somevahti.publishing import NotFound

    platform, _sep, handle = account_id.partition(":")
    conn = (
        Connection.objects.select_related("account")
        .filter(account__platform=platform, account__handle=handle)
        .first()
    )
    if conn is None:
        raise NotFound(
            _("the account %s has no connection; add one with `somevahti channel connect`") % account_id
        )
    return renewed_connector_for(conn)


def renew_if_expiring(conn: Connection, connector, ahead_seconds: float = 600) -> bool:
    """Renew a token that expires within ``ahead_seconds`` (or get the first session of a connector
    that keeps one) and store what the connector returns. A failed renewal is kept on the connection
    as its last error, so the dashboard's "API connections failed" card shows it at once; the publish
    call then reports ``reauthorize``. True when new credentials were stored."""
    import logging
    from datetime import UTC, datetime

    when = conn.expires_at
    if when is None and not getattr(connector, "stores_session", False):
        return False
    if when is not None and (when - datetime.now(UTC)).total_seconds() > ahead_seconds:
        return False
    try:
        new = connector.refresh_credentials()
    except Exception as e:  # noqa: BLE001 - any failure: the person has to connect the account again
        logging.getLogger("somevahti.publishing").warning(
            "renewing the token of %s failed: %s", conn.account, e
        )
        conn.last_error = _("Renewing the token failed (%(reason)s): connect the account again.") % {
            "reason": e
        }
        conn.save(update_fields=["last_error"])
        return False
    if not new:
        return False
    conn.set_credentials(new)
    conn.last_error = ""
    conn.save()
    return True


def test(conn: Connection) -> str:
    """Ask the platform who the connection publishes as; the answer or the error is kept on the row."""
    try:
        who = connector_for(conn).check_connection()
    except (PublishError, ChannelError, SomevahtiError) as e:
        conn.last_error, conn.checked_at = str(e), timezone.now()
        conn.save(update_fields=["last_error", "checked_at"])
        raise Refused(str(e)) from None
    conn.connected_as, conn.last_error, conn.checked_at = who or "", "", timezone.now()
    conn.save(update_fields=["connected_as", "last_error", "checked_at"])
    return who

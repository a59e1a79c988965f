"""Connecting an account for publishing: the connector's own credential fields (a server for
Mastodon, an identifier and app password for Bluesky, a directory for the file stand-in), secrets
sealed at rest, never shown back; re-authorising replaces only what is given."""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from somevahti import channels
from somevahti.channels import secrets
from somevahti.channels.base import ChannelError
from somevahti.channels.publishing import PublishError, PublishingConnector
from somevahti.errors import SomevahtiError
from somevahti.web.core import policy
from somevahti.web.publishing.models import PublishConnection
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


def connect(user, account, connector: str, values: dict[str, str]) -> PublishConnection:
    if not policy.can_manage_connections(user):
        raise Refused(_("Only communications admins connect accounts."))
    if connector not in publishing_connectors():
        raise Refused(_("Unknown connector: %(name)s.") % {"name": connector})
    conn = PublishConnection.objects.filter(account=account).first() or PublishConnection(account=account)
    same = conn.pk is not None and conn.connector == connector
    old_secrets = json.loads(secrets.decrypt(conn.secrets_sealed)) if same and conn.secrets_sealed else {}
    public, hidden = {}, {}
    for f in fields_of(connector):
        value = (values.get(f.name) or "").strip()
        if f.secret:
            value = value or old_secrets.get(f.name, "")
        if f.required and not value:
            raise Refused(_("%(field)s is needed.") % {"field": _(f.label)}, field=f.name)
        if value:
            (hidden if f.secret else public)[f.name] = value
    try:
        sealed = secrets.encrypt(json.dumps(hidden)) if hidden else ""
    except SomevahtiError as e:
        raise Refused(str(e)) from None
    conn.connector, conn.public_fields, conn.connected_by = connector, public, user
    if hidden != old_secrets or not same:
        conn.secrets_sealed, conn.secrets_set_at = sealed, timezone.now()
    conn.last_error = ""
    conn.save()
    return conn


def credentials(conn: PublishConnection) -> dict:
    found = dict(conn.public_fields)
    if conn.secrets_sealed:
        found.update(json.loads(secrets.decrypt(conn.secrets_sealed)))
    found.setdefault("platform", conn.account.platform)
    found.setdefault("handle", conn.account.handle)
    return found


def connector_for(conn: PublishConnection):
    return channels.get(conn.connector).from_credentials(credentials(conn))


def test(conn: PublishConnection) -> str:
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

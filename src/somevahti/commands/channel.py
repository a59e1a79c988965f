"""``somevahti channel connect|list|test``: an account's connection to its platform, from the command line.

``connect CONNECTOR --account PLATFORM:HANDLE --server URL --identifier ID --password-stdin [--create]``
stores the connector's credential fields (``Connector.credential_fields``) on the account in the
registry: ``--server`` is the connector's ``server`` field (the file connector: its directory),
``--identifier`` its ``identifier``/``handle`` field, the first line of standard input its secret
(an access token, an app password), encrypted with SOMEVAHTI_CHANNEL_KEY. ``--create`` adds the
account to the registry (in the first unit) when it is not there yet.
"""

from __future__ import annotations

import json
import sys

from somevahti.errors import InputError
from somevahti.i18n import _


def register(sub) -> None:
    p = sub.add_parser(
        "channel",
        help=_("connect accounts to their platforms"),
        description=_("Store, list and test the connections of registry accounts to their platforms."),
    )
    actions = p.add_subparsers(dest="channel_action", required=True, metavar="ACTION")
    c = actions.add_parser("connect", help=_("store an account's connection"))
    c.add_argument("connector", metavar="PLATFORM", help=_("connector: mastodon, bluesky, file, …"))
    c.add_argument("--account", required=True, metavar="PLATFORM:HANDLE")
    c.add_argument(
        "--server", metavar="URL", default="", help=_("the server address (the file connector: a directory)")
    )
    c.add_argument("--identifier", metavar="ID", default="", help=_("login name, e-mail or page id"))
    c.add_argument(
        "--password-stdin", action="store_true", help=_("read the token or app password from standard input")
    )
    c.add_argument(
        "--create", action="store_true", help=_("add the account to the registry if it is not there")
    )
    c.set_defaults(func=run_connect)
    ls = actions.add_parser("list", help=_("list the stored connections (never their secrets)"))
    ls.add_argument("--format", choices=["text", "json"], default="text")
    ls.set_defaults(func=run_list)
    t = actions.add_parser("test", help=_("check that a connection works and whom it publishes as"))
    t.add_argument("--account", required=True, metavar="PLATFORM:HANDLE")
    t.set_defaults(func=run_test)


IDENTIFIER_FIELDS = (
    "identifier",
    "handle",
    "username",
    "page_id",
    "ig_user_id",
    "organization_id",
    "channel_id",
)


def _fields(cls) -> tuple[str, str | None, str]:
    """The connector's field names for --server (``server``: the connection's server address; the file
    connector's ``directory``), --identifier (its login name or page/account id) and the secret."""
    fields = getattr(cls, "credential_fields", ())
    plain = [f.name for f in fields if not f.secret]
    secret = next((f.name for f in fields if f.secret), "access_token" if not fields else "")
    server = "directory" if "directory" in plain else "server"
    ident = next((n for n in IDENTIFIER_FIELDS if n in plain), None)
    return server, ident, secret


def run_connect(args) -> int:
    from somevahti import channels
    from somevahti.commands.publish import _django, registry_account, split_account

    cls = channels.get(args.connector)
    platform, handle = split_account(args.account)
    secret_value = None
    if args.password_stdin:
        secret_value = sys.stdin.readline().rstrip("\r\n")
        if not secret_value:
            raise InputError(_("standard input held no password or token"))
    server_field, ident_field, secret_field = _fields(cls)
    _django()
    from django.db import transaction

    from somevahti.web.inbox import services
    from somevahti.web.registry.models import Account, Unit

    with transaction.atomic():
        try:
            account = registry_account(args.account)
        except InputError:
            if not args.create:
                raise
            unit = Unit.objects.order_by("id").first() or Unit.objects.create(name=_("Communications"))
            account = Account.objects.create(platform=platform, handle=handle, unit=unit)
        credentials: dict = {}
        base_url = ""
        if args.server:
            if server_field == "server":
                base_url = args.server.rstrip("/")
            else:
                credentials[server_field] = args.server
        if args.identifier:
            credentials[ident_field or "identifier"] = args.identifier
        if args.connector == "file":
            credentials.setdefault("platform", platform)
            credentials.setdefault("handle", handle)
        if not secret_field:  # a connector without secrets (the file connector)
            secret_value = ""
        existing = getattr(account, "connection", None) if hasattr(account, "connection") else None
        if secret_value is None and existing is None:
            raise InputError(_("a new connection needs its token or password: give it with --password-stdin"))
        services.connect(
            account,
            args.connector,
            secret_value,
            base_url=base_url,
            credentials=credentials,
            statuses=existing.statuses if existing is not None else (),
        )
    print(
        _("Connected %(account)s through %(connector)s.")
        % {"account": args.account, "connector": args.connector}
    )
    return 0


def run_list(args) -> int:
    from somevahti.commands.publish import _django

    _django()
    from somevahti.web.inbox.models import Connection

    rows = []
    for c in Connection.objects.select_related("account").order_by("account__platform", "account__handle"):
        settings = {k: v for k, v in (c.settings or {}).items()}
        rows.append(
            {
                "account": f"{c.account.platform}:{c.account.handle}",
                "connector": c.connector,
                "server": c.base_url or settings.pop("server", "") or settings.get("directory", ""),
                "identifier": settings.get("identifier", ""),
                "secret_set_at": c.token_set_at.isoformat() if c.token_set_at else None,
                "last_error": c.last_error,
            }
        )
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        for r in rows:
            print(f"{r['account']:<32} {r['connector']:<10} {r['server']:<40} {r['identifier']}")
        if not rows:
            print(_("No connections."))
    return 0


def run_test(args) -> int:
    from somevahti.channels.base import ChannelError
    from somevahti.channels.publishing import PublishError, advice
    from somevahti.commands.publish import _django, registry_account

    _django()
    from somevahti.web.inbox import services

    account = registry_account(args.account)
    if not hasattr(account, "connection"):
        raise InputError(_("the account %s has no connection") % args.account)
    try:
        who = services.connector_for(account).check_connection()
    except PublishError as e:
        print(
            _("The connection does not work (%(kind)s): %(message)s") % {"kind": e.kind, "message": e},
            file=sys.stderr,
        )
        print(f"  {advice(e.kind)}", file=sys.stderr)
        return 3
    except ChannelError as e:
        print(_("The connection does not work: %s") % e, file=sys.stderr)
        return 3
    print(_("The connection works: it publishes as %s.") % who)
    return 0

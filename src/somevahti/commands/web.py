"""``somevahti web ...`` (migrate, demo, serve, worker, manage) and ``somevahti audit``."""

from __future__ import annotations

import json
import os
import signal
import sys

from somevahti.errors import ConfigError, SomevahtiError
from somevahti.i18n import _, ngettext


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "somevahti.web.settings")
    try:
        import django
    except ImportError:
        raise SomevahtiError(
            _("the web application needs the [web] extras: pip install 'somevahti[web]'")
        ) from None
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as e:
        raise ConfigError(str(e)) from None
    from django.conf import settings

    from somevahti.policy import load_pack

    pack = settings.SOMEVAHTI["PACK"]
    try:
        load_pack(pack)
    except SomevahtiError as e:
        raise ConfigError(f"SOMEVAHTI_PACK={pack}: {e}") from None


def register(sub) -> None:
    p = sub.add_parser(
        "web",
        help=_("run the web application (registry, audits, requests)"),
        description=_("Run the web application: database, demo organisation, server, task worker."),
    )
    wsub = p.add_subparsers(dest="web_command", required=True, metavar="ACTION")
    wsub.add_parser("migrate", help=_("create or update the database tables")).set_defaults(func=migrate)
    d = wsub.add_parser("demo", help=_("migrate, load the demo organisation and serve it"))
    d.add_argument("--addr", default="127.0.0.1:8000")
    d.add_argument("--no-serve", action="store_true", help=_("load the demo data and exit"))
    _workers_option(d)
    d.set_defaults(func=demo)
    s = wsub.add_parser("serve", help=_("serve the application and run the task worker"))
    s.add_argument("--addr", default="127.0.0.1:8000")
    _workers_option(s)
    s.set_defaults(func=serve)
    wsub.add_parser(
        "worker", help=_("run the background task worker (daily audit, overdue answers, archive checkpoints)")
    ).set_defaults(func=worker)
    t = wsub.add_parser("totp", help=_("print the current two-step code of a demo user"))
    t.add_argument("username")
    t.set_defaults(func=totp)
    m = wsub.add_parser("manage", help=_("run a Django management command"))
    m.add_argument("args", nargs="*")
    m.set_defaults(func=manage)

    a = sub.add_parser(
        "audit",
        help=_("audit the registry (access, security, profiles)"),
        description=_("Run every registry audit now and print the findings."),
    )
    a.add_argument("--format", choices=["text", "json"], default="text")
    a.add_argument(
        "--store", action="store_true", help=_("also store the findings and notify about new ones")
    )
    a.set_defaults(func=audit)


def _workers_option(parser) -> None:
    parser.add_argument(
        "--workers", type=int, metavar="N", help=_("server processes (default: one per CPU core, at least 2)")
    )


def migrate(args) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    print(_("Database is up to date."))
    return 0


def demo(args) -> int:
    migrate(args)
    from somevahti.web.core.demo import load_demo

    logins = load_demo()
    print(_("Demo organisation loaded: Kirkkonummi."))
    print(_("Demo logins (user / password / role):"))
    for username, password, role in logins:
        print(f"  {username:<12} {password:<16} {role}")
    print(
        _(
            "The communications admin signs in with a two-step code: print it with "
            "`.venv/bin/somevahti web totp viestinta`."
        )
    )
    from somevahti.web.publishing.demo import destination

    print(destination())
    if args.no_serve:
        return 0
    return serve(args)


def serve(args) -> int:
    _django()
    try:
        from somevahti.web.core import server
    except ImportError:
        raise SomevahtiError(
            _("the web application needs the [web] extras: pip install 'somevahti[web]'")
        ) from None
    from somevahti.web.audits.tasks import schedule_next

    workers = server.default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise SomevahtiError(_("--workers must be at least 1"))
    schedule_next()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the task worker too when terminated
    supervisor = server.WorkerSupervisor().start()  # restarted whenever it dies
    print(
        ngettext(
            "Serving on http://{addr}/ with {n} process (Ctrl-C stops).",
            "Serving on http://{addr}/ with {n} processes (Ctrl-C stops).",
            workers,
        ).format(addr=args.addr, n=workers),
        flush=True,
    )
    try:
        server.run(args.addr, workers)
    finally:
        supervisor.stop()
    return 0


def worker(args) -> int:
    _django()
    from django.core.management import call_command

    from somevahti.web.archive.tasks import schedule_checkpoint
    from somevahti.web.core.worker_health import start_heartbeat
    from somevahti.web.inbox.tasks import schedule_sweep

    schedule_sweep()  # then every 15 minutes: overdue inbox items to the unit editors and communications
    schedule_checkpoint()  # then hourly: sign the archive's chain head
    from somevahti.commands.publish import start_worker_thread

    start_worker_thread(
        interval=1.0
    )  # scheduled publications: the queue looked at every second, drafts synced
    start_heartbeat()  # the dashboard shows a dead worker to the communications admins
    from somevahti.web.policy.tasks import schedule_metrics, schedule_summary

    schedule_summary()  # then monthly: the results summary to communications
    schedule_metrics()  # then daily: the platforms' figures (followers, reach, engagement) for the results
    call_command("db_worker", interval=5)
    return 0


def totp(args) -> int:
    _django()
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user__username=args.username, confirmed=True).first()
    if device is None:
        raise SomevahtiError(_("{user} has no two-step verification").format(user=args.username))
    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    print(f"{t.token():0{device.digits}d}")
    return 0


def manage(args) -> int:
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["somevahti web manage", *args.args])
    return 0


def audit(args) -> int:
    _django()
    from somevahti.audits import run_audits
    from somevahti.audits.render import message_of, render_text
    from somevahti.web.audits.service import run_and_store, snapshot
    from somevahti.web.registry.models import Person

    findings = run_audits(snapshot())
    if args.store:
        run_and_store()
    if args.format == "json":
        json.dump(
            {
                "findings": [{**f.to_json(), "text": message_of(f)} for f in findings],
                "summary": {"findings": len(findings)},
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        ids = {i for f in findings for i in f.act_people}
        names = dict(Person.objects.filter(pk__in=ids).values_list("id", "name"))
        print(render_text(findings, names))
    return 1 if findings else 0

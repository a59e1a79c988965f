"""Web tests: Django on SQLite by default, on a throwaway PostgreSQL cluster with
SOMEVAHTI_TEST_DB=postgres (``make test`` runs both).

Django is configured here, when pytest collects this package, with the test values below set in the
environment only while the settings module is read: the environment of the other test packages stays
as it was, so the suite behaves the same whatever is collected and in whatever order. pytest-django
sees the configured settings and provides its database fixtures.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from contextlib import contextmanager
from datetime import timedelta

import pytest

_DATA = tempfile.mkdtemp(prefix="somevahti-web-test-")
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
TEST_ENV = {
    "DJANGO_SETTINGS_MODULE": "somevahti.web.settings",
    "SOMEVAHTI_DATA_DIR": _DATA,
    "SOMEVAHTI_SECRET_KEY": "test-only-not-a-secret",
    "SOMEVAHTI_EMAIL_DOMAINS": "kirkkonummi.fi",
    "SOMEVAHTI_PACK": "generic",
    "DATABASE_URL": None,  # never a developer's own database
}


@contextmanager
def _environment(values: dict[str, str | None]):
    saved = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


if os.environ.get("SOMEVAHTI_TEST_DB") == "postgres":
    from somevahti.devtools.pgcluster import Cluster, bin_dir

    if bin_dir() is None:
        raise pytest.UsageError(
            "SOMEVAHTI_TEST_DB=postgres but PostgreSQL is not installed (make install-test)"
        )
    _cluster = Cluster()
    TEST_ENV["DATABASE_URL"] = _cluster.start()
    atexit.register(_cluster.stop)

import django  # noqa: E402

with _environment(TEST_ENV):
    django.setup()  # reads the settings module, and with it the environment, once

from django.conf import settings  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from django.contrib.auth import get_user_model  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from somevahti.web.core.models import Membership, Role  # noqa: E402
from somevahti.web.registry.models import AccessGrant, Account, Person, SecurityAttestation, Unit  # noqa: E402
from somevahti.web.requests.models import AccountRequest, ExpertProfileRequest  # noqa: E402

ROLES = [r.value for r in Role]


@pytest.fixture(autouse=True)
def _no_process_caches_from_another_test():
    """Caches that live as long as a process (which pack is in force, the onboarding statistics) and
    the active language must not carry one test into the next."""
    from django.utils import translation

    from somevahti.web.api.checking import version_changed
    from somevahti.web.onboarding import rulestats

    version_changed()
    rulestats.forget()
    translation.deactivate()  # the test client's last request leaves its language active in the thread
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _settings_module_in_environment(monkeypatch):
    """The CLI sets DJANGO_SETTINGS_MODULE when a test runs it; undone after each test."""
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", TEST_ENV["DJANGO_SETTINGS_MODULE"])


class Org:
    """A small organisation: two units, one person per role, a leaver with access, requests."""

    def __init__(self):
        today = timezone.localdate()
        self.today = today
        self.unit_a = Unit.objects.create(name="Matkailu", website="https://www.kirkkonummi.fi")
        self.unit_b = Unit.objects.create(name="Kirjasto", website="https://www.kirkkonummi.fi")
        User = get_user_model()
        self.users, self.people = {}, {}
        for role in ROLES:
            person = Person.objects.create(
                name=f"{role.replace('_', ' ').title()} Person",
                unit=self.unit_a,
                email=f"{role}@kirkkonummi.fi",
                start_date=today - timedelta(days=900),
            )
            user = User.objects.create_user(role, f"{role}@kirkkonummi.fi", "pw")
            Membership.objects.create(
                user=user, role=role, person=person, unit=self.unit_a if role == Role.UNIT_EDITOR else None
            )
            self.users[role], self.people[role] = user, person
        boss = self.people[Role.SUPERVISOR]
        self.people[Role.AUTHOR].supervisor = boss
        self.people[Role.AUTHOR].save()
        self.leaver = Person.objects.create(
            name="Ville Virtanen",
            unit=self.unit_a,
            supervisor=boss,
            email="ville.virtanen@kirkkonummi.fi",
            status="left",
            start_date=today - timedelta(days=900),
            end_date=today - timedelta(days=30),
        )
        self.other = Person.objects.create(
            name="Oskar Nyberg", unit=self.unit_b, email="oskar.nyberg@kirkkonummi.fi"
        )
        self.account_a = self._account(
            "facebook", "visitkirkkonummi", self.unit_a, self.people[Role.UNIT_EDITOR]
        )
        self.account_b = self._account("facebook", "KirkkonummiLib", self.unit_b, self.other)
        self.leaver_grant = AccessGrant.objects.create(
            person=self.leaver, account=self.account_a, role="editor", granted=today - timedelta(days=100)
        )
        self.librarian = Person.objects.create(
            name="Johanna Lindqvist", unit=self.unit_b, email="johanna.lindqvist@kirkkonummi.fi"
        )
        self.grant_b = AccessGrant.objects.create(
            person=self.librarian, account=self.account_b, role="editor", granted=today - timedelta(days=100)
        )
        self.request = AccountRequest.objects.create(
            platform="instagram",
            handle="visitkyrkslatt",
            unit=self.unit_a,
            need="n",
            goals="g",
            target_group="t",
            planned_content="p",
            requested_by=self.users[Role.AUTHOR],
        )
        self.request.maintainers.set([self.people[Role.AUTHOR]])
        self.expert_request = ExpertProfileRequest.objects.create(
            person=self.people[Role.AUTHOR],
            platform="linkedin",
            handle="author-kirkkonummi",
            topics="yritykset",
            reason="r",
            requested_by=self.users[Role.AUTHOR],
        )

    def _account(self, platform, handle, unit, owner) -> Account:
        today = self.today
        account = Account.objects.create(
            platform=platform,
            handle=handle,
            unit=unit,
            owner=owner,
            names_maintainer=True,
            links_website=True,
            privacy_notice_url="https://www.kirkkonummi.fi/tietosuoja",
            contact_email="viestinta@kirkkonummi.fi",
            created=today - timedelta(days=400),
            last_published=today - timedelta(days=2),
            request=AccountRequest.objects.create(
                platform=platform,
                handle=handle,
                unit=unit,
                need="n",
                goals="g",
                target_group="t",
                planned_content="p",
                status="approved",
                requested_by=get_user_model().objects.first(),
            ),
        )
        AccessGrant.objects.create(
            person=owner, account=account, role="owner", granted=today - timedelta(days=300)
        )
        SecurityAttestation.objects.create(
            account=account,
            password_changed=today - timedelta(days=10),
            two_factor=True,
            login_email_kind="shared",
            in_password_manager=True,
            settings_reviewed=today - timedelta(days=10),
        )
        return account


@pytest.fixture
def org(db):
    return Org()


def verified_login(client, user) -> None:
    """Sign in past the two-step check (communications admins must have a verified device)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login(client):
    def _login(user):
        client.logout()
        if Membership.objects.filter(user=user, role=Role.COMMUNICATIONS_ADMIN).exists():
            verified_login(client, user)
        else:
            client.force_login(user)
        return client

    return _login

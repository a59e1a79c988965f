"""The registry: units, people, accounts, access grants, expert profiles and security attestations.

Every model keeps an audit history (django-simple-history): who changed what and when.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from somevahti.document import AccountKind, Channel
from somevahti.web.core.models import BackgroundJob

PLATFORMS = [(c.value, c.label) for c in Channel]
PLATFORM_LABELS = dict(PLATFORMS)


def choice_label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's label in the active language, looked up once per language: Django's
    get_FOO_display() rebuilds the choices and translates again on every call, which adds up to
    milliseconds over a page of rows."""
    return _label(choices, value, get_language())


@lru_cache(maxsize=1024)
def _label(choices: type[models.TextChoices], value: str, language: str | None) -> str:
    try:
        return str(choices(value).label)  # translated now, in `language`
    except ValueError:
        return value


class Unit(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("employed")
        LEFT = "left", _("left")
        EXTERNAL = "external", _("outside the organisation")

    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    email = models.EmailField(_("work e-mail"), blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    start_date = models.DateField(_("employment start"), null=True, blank=True)
    end_date = models.DateField(_("employment end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="person_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The employment cannot end before it starts.")
        if self.start_date and self.start_date > timezone.localdate() + timezone.timedelta(days=366):
            errors["start_date"] = _("The employment start is more than a year in the future.")
        if errors:
            raise ValidationError(errors)

    @property
    def status_label(self) -> str:
        return choice_label(self.Status, self.status)

    def has_left(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.LEFT or (self.end_date is not None and self.end_date < today)


class Account(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        DORMANT = "dormant", _("dormant")
        CLOSED = "closed", _("closed")

    class Kind(models.TextChoices):
        SHARED = AccountKind.SHARED.value, _("organisation account")
        EXPERT = AccountKind.EXPERT.value, _("expert profile")
        PERSONAL = AccountKind.PERSONAL.value, _("personal account")

    platform = models.CharField(_("platform"), max_length=20, choices=PLATFORMS)
    handle = models.CharField(_("handle"), max_length=200)
    url = models.URLField(_("address"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SHARED)
    unit = models.ForeignKey(
        Unit, verbose_name=_("owning unit"), on_delete=models.PROTECT, related_name="accounts"
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_accounts",
    )
    purpose = models.TextField(_("purpose"), blank=True)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    languages = models.CharField(_("languages"), max_length=40, blank=True, help_text=_("e.g. fi,sv"))
    names_maintainer = models.BooleanField(_("profile names the unit as maintainer"), default=False)
    links_website = models.BooleanField(_("profile links to the website"), default=False)
    privacy_notice_url = models.URLField(_("privacy notice"), blank=True)
    contact_email = models.EmailField(_("official contact e-mail"), blank=True)
    created = models.DateField(_("created"), null=True, blank=True)
    last_published = models.DateField(_("last published"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    request = models.ForeignKey(
        "account_requests.AccountRequest",
        verbose_name=_("account request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [models.UniqueConstraint(fields=["platform", "handle"], name="account_unique_handle")]
        # The list's order with the key: a page's keys from the index alone (PostgreSQL sorted the table).
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["platform", "handle", "id"])]

    def __str__(self) -> str:
        return self.label(self.platform, self.handle)

    @staticmethod
    def label(platform: str, handle: str) -> str:
        """How an account is named to a user ("Facebook: kirkkonummi"), from its two fields alone: a list
        of options needs no model instances."""
        return f"{PLATFORM_LABELS.get(platform, platform)}: {handle}"

    @property
    def kind_label(self) -> str:
        return choice_label(self.Kind, self.kind)

    @property
    def status_label(self) -> str:
        return choice_label(self.Status, self.status)

    def clean(self) -> None:
        if self.created and self.created > timezone.localdate():
            raise ValidationError({"created": _("The creation date is in the future.")})
        if self.last_published and self.last_published > timezone.localdate():
            raise ValidationError({"last_published": _("The date of the last post is in the future.")})


class AccessGrant(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        ADMIN = "admin", _("admin")
        EDITOR = "editor", _("editor")
        MODERATOR = "moderator", _("moderator")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="grants"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.EDITOR)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted = models.DateField(_("granted"), default=timezone.localdate)
    revoked = models.DateField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["account", "person__name"]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "account"],
                condition=Q(revoked__isnull=True),
                name="grant_one_active_per_person_account",
            ),
            models.CheckConstraint(
                condition=Q(revoked__isnull=True) | Q(revoked__gte=models.F("granted")),
                name="grant_revoked_after_granted",
            ),
        ]
        indexes = [models.Index(fields=["account", "revoked"]), models.Index(fields=["person", "revoked"])]

    def __str__(self) -> str:
        return f"{self.person} → {self.account} ({self.get_role_display()})"

    @property
    def active(self) -> bool:
        return self.revoked is None

    @property
    def role_label(self) -> str:
        return choice_label(self.Role, self.role)

    def clean(self) -> None:
        today = timezone.localdate()
        if self.granted and self.granted > today:
            raise ValidationError({"granted": _("The grant date is in the future.")})
        if self.revoked and self.granted and self.revoked < self.granted:
            raise ValidationError({"revoked": _("An access cannot be revoked before it was granted.")})


class ExpertProfile(models.Model):
    """A person's work profile (KIRK-4.1): opened once the supervisor confirms it suits the role."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="expert_profiles"
    )
    account = models.OneToOneField(
        Account,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    platform = models.CharField(_("platform"), max_length=20, choices=PLATFORMS)
    handle = models.CharField(_("handle"), max_length=200, blank=True)
    topics = models.CharField(_("topics"), max_length=300, blank=True)
    approved_by = models.ForeignKey(
        Person,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="approved_expert_profiles",
    )
    approved = models.DateField(_("approved"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person__name"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return f"{self.person}: {self.get_platform_display()} {self.handle}".strip()


class SecurityAttestation(models.Model):
    """What an account's keeper attests about its security. Somevahti never stores a password."""

    class LoginEmail(models.TextChoices):
        WORK = "work", _("work address")
        PERSONAL = "personal", _("personal address")
        SHARED = "shared", _("shared team address")

    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="attestations"
    )
    grant = models.ForeignKey(
        AccessGrant,
        verbose_name=_("access grant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attestations",
    )
    password_changed = models.DateField(_("password last changed"), null=True, blank=True)
    two_factor = models.BooleanField(_("two-step verification on"), default=False)
    login_email_kind = models.CharField(
        _("login e-mail"), max_length=10, choices=LoginEmail.choices, blank=True
    )
    reuses_network_password = models.BooleanField(
        _("same password as the organisation's network"), default=False
    )
    in_password_manager = models.BooleanField(_("credentials kept in the password manager"), default=False)
    settings_reviewed = models.DateField(
        _("privacy and security settings last reviewed"), null=True, blank=True
    )
    attested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attested_at = models.DateTimeField(_("attested at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-attested_at", "-id"]
        get_latest_by = "attested_at"
        verbose_name = _("security attestation")
        verbose_name_plural = _("security attestations")
        indexes = [models.Index(fields=["account", "-attested_at"])]

    def __str__(self) -> str:
        return f"{self.account} @ {self.attested_at:%Y-%m-%d}"

    def clean(self) -> None:
        today = timezone.localdate()
        errors = {}
        for name in ("password_changed", "settings_reviewed"):
            value = getattr(self, name)
            if value and value > today:
                errors[name] = _("The date is in the future.")
        if errors:
            raise ValidationError(errors)


class ImportJob(BackgroundJob):
    """A large CSV import, run by the background worker in short transactions (registry/imports.py);
    the page shows its progress and then the rows' results as the form shows a small file's."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        CHECKING = "checking", _("checking")
        SAVING = "saving", _("saving")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        UNITS = "units", _("units")
        PEOPLE = "people", _("people")
        ACCOUNTS = "accounts", _("accounts")
        GRANTS = "grants", _("access grants")

    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    dry_run = models.BooleanField(_("dry run"), default=True)
    text = models.TextField()  # the file, kept until the job ends
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows = models.JSONField(default=list)  # [{"number", "kind", "messages"}], as the import page lists them

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created:%Y-%m-%d %H:%M}"

    @property
    def has_errors(self) -> bool:
        return any(r["kind"] in ("error", "invalid") for r in self.rows)

"""Drafts and their way out: language versions, media, the named states, every transition, the
publications per target account, crisis mode, corrections and news feed suggestions.

State changes are made only by the service functions in ``services.py`` (never in views); each one
writes a :class:`Transition` (who, when, why, and the justification for overridden warnings).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from somevahti.web.registry.models import choice_label

MAX_TEXT = 20_000  # characters per language version; longer is refused with a message, nothing saved


class State(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    APPROVED = "approved", _("approved")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHING = "publishing", _("publishing")
    PUBLISHED = "published", _("published")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


EDITABLE = (
    State.DRAFT,
    State.CHANGES_REQUESTED,
    State.IN_REVIEW,
    State.APPROVED,
    State.SCHEDULED,
    State.FAILED,
)
OPEN = (
    State.DRAFT,
    State.IN_REVIEW,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.SCHEDULED,
    State.PUBLISHING,
    State.FAILED,
)


class Approval(models.TextChoices):
    """Who approves an account's posts (the pack's default per account kind, or the registry's override)."""

    INHERIT = "inherit", _("as the policy says")
    NONE = "none", _("no approval needed")
    UNIT_EDITOR = "unit_editor", _("the unit's editor")
    COMMUNICATIONS = "communications_admin", _("communications")


class AccountPublishing(models.Model):
    """Publishing settings of a registry account: who approves, and whether it is the crisis account."""

    account = models.OneToOneField(
        "registry.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="publishing"
    )
    approval = models.CharField(
        _("approval"), max_length=24, choices=Approval.choices, default=Approval.INHERIT
    )
    crisis_account = models.BooleanField(
        _("crisis account"),
        default=False,
        help_text=_("in crisis mode, crisis posts go to this account (KIRK-5.8)"),
    )
    main_account = models.BooleanField(
        _("main account"),
        default=False,
        help_text=_("cross-posts of wide interest go to this account (KIRK-5.7)"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publishing settings")
        verbose_name_plural = _("publishing settings")

    def __str__(self) -> str:
        return str(self.account)


class Draft(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="drafts"
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )
    accounts = models.ManyToManyField(
        "registry.Account", verbose_name=_("target accounts"), related_name="drafts"
    )
    scheduled_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    kind = models.CharField(
        _("kind"), max_length=10, default="post", choices=[("post", _("post")), ("reply", _("reply"))]
    )
    crisis = models.BooleanField(_("crisis post"), default=False)
    closed_group = models.BooleanField(_("for a closed group"), default=False)
    sponsored = models.BooleanField(_("sponsored"), default=False)
    original = models.ForeignKey(
        "self",
        verbose_name=_("cross-post of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cross_posts",
    )
    source_url = models.URLField(_("news item"), blank=True, max_length=500)
    paused = models.BooleanField(_("paused by crisis mode"), default=False)
    version = models.PositiveIntegerField(default=1)  # grows with every edit; an approval is of one version
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_version = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated"])

    class Meta:
        ordering = ["-updated", "-id"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        indexes = [models.Index(fields=["state", "scheduled_at"]), models.Index(fields=["author", "state"])]

    def __str__(self) -> str:
        first = next(iter(self.texts().values()), "")
        return (first[:60] + "…") if len(first) > 60 else (first or f"#{self.pk}")

    @property
    def state_label(self) -> str:
        return choice_label(State, self.state)

    def texts(self) -> dict[str, str]:
        """Language → text, in the order of the versions (Finnish first when the pack has it)."""
        return {v.language: v.text for v in self.versions.all() if v.text.strip()}


class LanguageVersion(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(_("language"), max_length=8)
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("text"), blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["draft", "language"], name="one_version_per_language")]

    def __str__(self) -> str:
        return f"{self.draft_id}:{self.language}"


def _storage():
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.DATA_DIR / "publishing-media")


def _media_path(instance, filename: str) -> str:
    return f"publishing/{instance.draft_id}/{filename}"


class MediaItem(models.Model):
    class Type(models.TextChoices):
        IMAGE = "image", _("image")
        VIDEO = "video", _("video")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="media")
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(_("type"), max_length=8, choices=Type.choices, default=Type.IMAGE)
    file = models.FileField(_("file"), upload_to=_media_path, max_length=300, storage=_storage)
    size = models.PositiveBigIntegerField(default=0)
    alt = models.JSONField(_("description"), default=dict, blank=True)  # language → text
    rights_holder = models.CharField(_("rights holder"), max_length=200, blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    people = models.BooleanField(_("identifiable people"), default=False)
    consent = models.BooleanField(_("consent"), null=True, blank=True)
    purpose = models.CharField(
        _("purpose"),
        max_length=10,
        blank=True,
        choices=[("marketing", _("marketing")), ("news", _("news")), ("other", _("other"))],
    )
    captions = models.BooleanField(_("captions"), null=True, blank=True)
    transcript_url = models.URLField(_("transcript"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.file.name


class Transition(models.Model):
    """One step of a draft's way: who, when, from and to which state, why."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)
    justification = models.CharField(_("justification"), max_length=300, blank=True)
    overridden = models.JSONField(default=list, blank=True)  # rule ids of the warnings overridden
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.draft_id}: {self.to_state}"

    @property
    def to_label(self) -> str:
        return choice_label(State, self.to_state)


class Publication(models.Model):
    """A draft to one account: what the engine did with it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting")
        PUBLISHING = "publishing", _("publishing")
        PUBLISHED = "published", _("published")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="publications")
    account = models.ForeignKey("registry.Account", on_delete=models.PROTECT, related_name="publications")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    key = models.CharField(max_length=200, unique=True)  # the engine's idempotency key
    version = models.PositiveIntegerField(default=1)
    engine_id = models.CharField(max_length=100, blank=True)
    external_ids = models.JSONField(default=list, blank=True)
    urls = models.JSONField(default=list, blank=True)
    error_kind = models.CharField(max_length=20, blank=True)
    error = models.TextField(blank=True)
    platform_reason = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "account"])]

    def __str__(self) -> str:
        return self.key

    @property
    def status_label(self) -> str:
        return choice_label(self.Status, self.status)


class CrisisMode(models.Model):
    """A period of crisis communication (KIRK-5.8): open while ``ended`` is empty."""

    reason = models.CharField(_("reason"), max_length=300)
    account = models.ForeignKey(
        "registry.Account",
        verbose_name=_("crisis account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return self.reason


class Correction(models.Model):
    """A correction of a published post (SF-6): edited in place or published as a correction reply."""

    class Mode(models.TextChoices):
        EDITED = "edited", _("edited in place")
        REPLY = "reply", _("correction reply")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="corrections")
    texts = models.JSONField(default=dict)  # language → corrected text
    previous = models.JSONField(default=dict)  # language → the text as it was published
    note = models.CharField(_("correction note"), max_length=300)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.note


class FeedSuggestion(models.Model):
    """A news item of the website's feed (KIRK-6.1), offered as a draft."""

    guid = models.CharField(max_length=500, unique=True)
    title = models.CharField(max_length=500)
    link = models.URLField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    published = models.DateTimeField(null=True, blank=True)
    seen = models.DateTimeField(auto_now_add=True)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    dismissed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-published", "-id"]

    def __str__(self) -> str:
        return self.title

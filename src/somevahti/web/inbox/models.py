"""Inbox items with their triage result, what people did with them, incidents and channel connections.

Every incoming item is in the archive before its row exists here (``archive_seq``); every
moderation action is archived with who and why (``Action.archive_seq``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from somevahti.web.core.models import BackgroundJob

CATEGORY_LABELS = {
    "remove": _("remove"),
    "escalate_threat": _("threat"),
    "escalate_misuse": _("misuse"),
    "report_crime": _("crime"),
    "respond_negative": _("negative feedback"),
    "respond_question": _("question"),
    "correct_misinformation": _("misinformation"),
    "redirect": _("redirect"),
    "acknowledge": _("thanks"),
    "ignore": _("no action"),
    "needs_review": _("needs a human look"),
}

# The triage's labels (somevahti.triage.model.LABELS), as people read them.
LABEL_NAMES = {
    "toxicity": _("toxic"),
    "severe_toxicity": _("severely toxic"),
    "obscene": _("obscene"),
    "threat": _("threat"),
    "insult": _("insult"),
    "identity_attack": _("attack on a group"),
}


class Item(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("comment")
        REPLY = "reply", _("reply")
        MENTION = "mention", _("mention")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        HIDDEN = "hidden", _("hidden")
        DELETED = "deleted", _("deleted")
        ESCALATED = "escalated", _("escalated")
        CLOSED = "closed", _("closed without action")

    account = models.ForeignKey(
        "registry.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="inbox_items"
    )
    external_id = models.CharField(_("platform id"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMENT)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    author_handle = models.CharField(_("handle"), max_length=200, blank=True)
    parent_id = models.CharField(_("post"), max_length=200, blank=True)
    post_text = models.TextField(_("post text"), blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    publisher = models.ForeignKey(
        "registry.Person",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        "registry.Person",
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_items",
        help_text=_("empty: the unit's editors"),
    )
    received_at = models.DateTimeField(_("received"))
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)
    category = models.CharField(_("category"), max_length=24, choices=list(CATEGORY_LABELS.items()))
    labels = models.JSONField(_("labels"), default=list)
    scores = models.JSONField(_("scores"), default=dict)
    clauses = models.JSONField(_("clauses"), default=list)
    reasons = models.JSONField(_("reasons"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_hours = models.FloatField(_("response time (business hours)"), null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)  # mailed once when late
    archive_seq = models.BigIntegerField(_("archive record"))
    archive_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        constraints = [models.UniqueConstraint(fields=["account", "external_id"], name="inbox_item_unique")]
        indexes = [
            models.Index(fields=["status", "category"]),
            models.Index(fields=["account", "status"]),
            models.Index(fields=["due_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.external_id}"

    @property
    def subject(self) -> str:
        return f"{self.account.platform}:{self.external_id}"

    @property
    def label_names(self) -> list[str]:
        return [str(LABEL_NAMES.get(label, label)) for label in self.labels]

    def is_overdue(self, now) -> bool:
        return self.status == self.Status.OPEN and self.due_at is not None and self.due_at < now


class Action(models.Model):
    """What a person did with an item: answered, hid, deleted, escalated, closed or noted — and why."""

    class Kind(models.TextChoices):
        ANSWERED = "answered", _("answered")
        HIDDEN = "hidden", _("hidden")
        DELETED = "deleted", _("deleted")
        ESCALATED = "escalated", _("escalated")
        CLOSED = "closed", _("closed without action")
        NOTE = "note", _("note")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    text = models.TextField(_("answer"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    external_id = models.CharField(_("platform id"), max_length=200, blank=True)
    by_hand = models.BooleanField(_("done by hand on the platform"), default=False)
    warnings = models.JSONField(default=list)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    archive_seq = models.BigIntegerField(_("archive record"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.kind}"


class Incident(models.Model):
    class Type(models.TextChoices):
        THREAT = "threat", _("threat")
        HARASSMENT = "harassment", _("harassment")
        IMPERSONATION = "impersonation", _("identity theft or impersonation")
        PHISHING = "phishing", _("phishing")
        MALWARE = "malware", _("malware")
        HARMFUL_CONTENT = "harmful_content", _("harmful content about the organisation")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        IN_PROGRESS = "in_progress", _("in progress")
        REPORTED_PLATFORM = "reported_platform", _("reported to the platform")
        REPORTED_POLICE = "reported_police", _("reported to the police")
        RESOLVED = "resolved", _("resolved")

    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    item = models.ForeignKey(
        Item,
        verbose_name=_("comment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    concerns = models.ForeignKey(
        "registry.Person",
        verbose_name=_("concerns"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("the person the threat or harassment is aimed at"),
    )
    routes = models.JSONField(_("routed to"), default=list)
    handlers = models.ManyToManyField(
        "registry.Person", verbose_name=_("handlers"), blank=True, related_name="+"
    )
    clauses = models.JSONField(default=list)
    evidence = models.JSONField(_("evidence"), default=list)
    language = models.CharField(_("language"), max_length=8, default="fi")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.title}"


class IncidentEvent(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Incident.Status.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.status or self.note[:40]}"


USER_MODEL = settings.AUTH_USER_MODEL  # the field named settings below hides the module


# What somevahti notes beside the credentials in ``settings`` (never passed to a connector).
BOOKKEEPING = ("has_refresh_token",)


class Connection(models.Model):
    """An account's API connection, in the platform connector's own credential fields
    (``connector.credential_fields``): the secret ones (tokens, app passwords) as one JSON object
    encrypted with SOMEVAHTI_CHANNEL_KEY and never shown, the others (server, identifier, page id…)
    in ``settings``; ``base_url`` mirrors the ``server`` field.

    Its history (who added, changed or removed it, and when) leaves out the secrets and the polling
    state; ``token_set_at`` shows there that the secrets were replaced. A row from before the
    credential fields holds a bare Mastodon token in ``secrets_sealed``; ``credentials()`` reads it
    as ``access_token``.
    """

    account = models.OneToOneField(
        "registry.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="connection"
    )
    connector = models.CharField(_("connector"), max_length=20)
    base_url = models.URLField(_("server address"), blank=True)
    settings = models.JSONField(_("connection settings"), default=dict, blank=True)
    secrets_sealed = models.TextField(blank=True)
    token_set_at = models.DateTimeField(_("token"), null=True, editable=False)
    statuses = models.JSONField(_("posts whose replies are fetched"), default=list)
    since_id = models.CharField(max_length=64, blank=True)
    last_polled = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    connected_as = models.CharField(
        _("publishes as"), max_length=200, blank=True
    )  # what the platform answered
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    connected_by = models.ForeignKey(
        USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(
        excluded_fields=["secrets_sealed", "since_id", "last_polled", "last_error", "checked_at"]
    )

    def __str__(self) -> str:
        return f"{self.account}: {self.connector}"

    @property
    def expires_at(self):
        """When the stored token expires (the connector's ``expires_at`` field), or None (also for a
        value that is no time)."""
        from somevahti.channels import oauth

        try:
            return oauth.expires_at(self.settings or {})
        except ValueError:
            return None

    @property
    def reconnect_by(self):
        """When a person must connect the account again, or None when somevahti renews the access by
        itself: the refresh token's expiry where one is stored (LinkedIn: a year), never for a refresh
        token without one (X, YouTube) or for a connector that logs in again with its app password
        (Bluesky), else the token's own expiry (Facebook and Instagram: 60 days)."""
        from somevahti import channels
        from somevahti.channels import oauth
        from somevahti.errors import SomevahtiError

        stored = self.settings or {}
        try:
            if stored.get("refresh_expires_at"):
                return oauth.expires_at({"expires_at": stored["refresh_expires_at"]})
        except ValueError:
            return None
        try:
            if getattr(channels.get(self.connector), "stores_session", False):
                return None
        except channels.ChannelError:  # a connector no longer installed: judged by the token
            pass
        has_refresh = stored.get("has_refresh_token")
        if has_refresh is None:  # stored before the flag: look at the secret itself
            try:
                has_refresh = bool(self.secrets().get("refresh_token"))
            except SomevahtiError:  # no key to read it with: judged by the token alone
                has_refresh = False
        return None if has_refresh else self.expires_at

    def secrets(self) -> dict:
        """The secret fields, decrypted (needs SOMEVAHTI_CHANNEL_KEY)."""
        import json

        from somevahti.channels import secrets

        if not self.secrets_sealed:
            return {}
        plain = secrets.decrypt(self.secrets_sealed)
        try:
            value = json.loads(plain)
        except ValueError:
            value = None
        return value if isinstance(value, dict) else {"access_token": plain}

    def credentials(self) -> dict:
        """Every credential field, secrets decrypted: what ``Connector.from_credentials`` takes."""
        out = {k: v for k, v in (self.settings or {}).items() if k not in BOOKKEEPING}
        if self.base_url:
            out.setdefault("server", self.base_url)
        out.update(self.secrets())
        return out

    def credential_value(self, name: str) -> str:
        """A field that is not secret, to show in the connect form ("" for none)."""
        if name == "server":
            return self.base_url or (self.settings or {}).get("server", "")
        return str((self.settings or {}).get(name, ""))

    def set_credentials(self, values: dict) -> None:
        """Store the connector's credential fields from ``values``; a secret given as None (or left out)
        keeps the stored one. The caller saves."""
        import json

        from django.utils import timezone

        from somevahti import channels
        from somevahti.channels import secrets

        fields = getattr(channels.get(self.connector), "credential_fields", ())
        # a stored session (Bluesky's access and refresh JWTs) is as secret as a token
        secret_names = {f.name for f in fields if f.secret} | {
            "access_token",
            "app_password",
            "password",
            "refresh_token",
            "session",
        }
        kept = self.secrets()
        new = {k: v for k, v in values.items() if k in secret_names and v is not None}
        if new and {**kept, **new} != kept:
            self.secrets_sealed = secrets.encrypt(json.dumps({**kept, **new}))
            self.token_set_at = timezone.now()
        plain = {k: v for k, v in values.items() if k not in secret_names and v is not None}
        # read by reconnect_by on every admin start page, which should not decrypt every token to know it
        plain["has_refresh_token"] = bool({**kept, **new}.get("refresh_token"))
        if "server" in plain:
            self.base_url = plain["server"]
        self.settings = {k: v for k, v in {**(self.settings or {}), **plain}.items() if k not in secret_names}


class ImportItemsJob(BackgroundJob):
    """A large comment file imported by the background worker (inbox/imports.py): the whole file is
    read first (any bad line: nothing is imported), then the comments are archived and stored a chunk
    at a time. ``rows`` lists every comment by its line: new, changed, already in, or not imported
    and why."""

    account = models.ForeignKey(
        "registry.Account", verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=False)
    text = models.TextField()  # the file, kept until the job ends
    rows = models.JSONField(default=list)  # [{"line", "kind", "message"|"msgid"+"params"}], in line order

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("comment import")
        verbose_name_plural = _("comment imports")

    def __str__(self) -> str:
        return f"{self.filename} {self.created:%Y-%m-%d %H:%M}"

    def done_of_total(self) -> str:
        return ngettext("%(done)s of %(total)s comment", "%(done)s of %(total)s comments", self.total) % {
            "done": self.done,
            "total": self.total,
        }

    def count(self, *kinds: str) -> int:
        return sum(1 for r in self.rows if r["kind"] in kinds)

    @property
    def has_bad_lines(self) -> bool:
        return any(r["kind"] == "bad" for r in self.rows)

"""CSV import and export of units, people, accounts and grants (django-import-export).

Imports run in one transaction: any invalid row rolls everything back; a dry run never saves.
"""

from __future__ import annotations

import csv
import io
import re

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from somevahti.web.core.spreadsheet import safe_dataset, unescape_cell
from somevahti.web.registry.models import AccessGrant, Account, Person, Unit


class RegistryKey(widgets.ForeignKeyWidget):
    """A unit by name or a person by e-mail; an unknown one is an error in the reader's language
    (the library's own is Django's English "Unit matching query does not exist.")."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("No %(what)s “%(value)s” in the registry.")
                % {"what": self.model._meta.verbose_name, "value": value}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("More than one %(what)s “%(value)s” in the registry.")
                % {"what": self.model._meta.verbose_name, "value": value}
            ) from None


class _Checked(resources.ModelResource):
    """Validates every instance with the model's clean() and refuses rows that repeat a key."""

    duplicate_message = gettext_lazy("The row %(key)s appears twice in the file.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._seen: set = set()

    def before_import(self, dataset, **kwargs):
        self._seen = set()

    def row_key(self, row) -> tuple:
        return tuple((row.get(f) or "").strip().lower() for f in self._meta.import_id_fields)

    def before_import_row(self, row, **kwargs):
        key = self.row_key(row)
        if any(key) and key in self._seen:
            raise ValidationError(str(self.duplicate_message) % {"key": " / ".join(key)})
        self._seen.add(key)

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False


class UnitResource(_Checked):
    duplicate_message = gettext_lazy("Unit %(key)s appears twice in the file.")
    parent = fields.Field("parent", "parent", RegistryKey(Unit, "name"))

    class Meta(_Checked.Meta):
        model = Unit
        fields = ("name", "parent", "website")
        import_id_fields = ("name",)


class PersonResource(_Checked):
    duplicate_message = gettext_lazy("The e-mail address %(key)s appears twice in the file.")
    unit = fields.Field("unit", "unit", RegistryKey(Unit, "name"))
    supervisor = fields.Field("supervisor", "supervisor", RegistryKey(Person, "email"))

    class Meta(_Checked.Meta):
        model = Person
        fields = ("email", "name", "title", "unit", "phone", "supervisor", "start_date", "end_date", "status")
        import_id_fields = ("email",)

    def before_import_row(self, row, **kwargs):
        if not (row.get("email") or "").strip():
            raise ValidationError(_("Every person in the file needs a work e-mail address."))
        super().before_import_row(row, **kwargs)


class AccountResource(_Checked):
    duplicate_message = gettext_lazy("The handle %(key)s appears twice in the file.")
    unit = fields.Field("unit", "unit", RegistryKey(Unit, "name"))
    owner = fields.Field("owner", "owner", RegistryKey(Person, "email"))

    class Meta(_Checked.Meta):
        model = Account
        fields = (
            "platform",
            "handle",
            "url",
            "kind",
            "unit",
            "owner",
            "purpose",
            "audience",
            "languages",
            "names_maintainer",
            "links_website",
            "privacy_notice_url",
            "contact_email",
            "created",
            "last_published",
            "status",
        )
        import_id_fields = ("platform", "handle")

    def before_import_row(self, row, **kwargs):
        codes = [c.strip() for c in str(row.get("languages") or "").split(",") if c.strip()]
        bad = [c for c in codes if not LANGUAGE_CODE.match(c)]
        if bad:
            raise ValidationError(
                _("Unknown language code(s) %(codes)s: write codes such as fi,sv,en.")
                % {"codes": ", ".join(bad)}
            )
        super().before_import_row(row, **kwargs)


class AccountWidget(widgets.ForeignKeyWidget):
    """An account written as ``platform:handle``."""

    def __init__(self):
        super().__init__(Account)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        platform, sep, handle = str(value).partition(":")
        if not sep:
            raise ValueError(_("Write the account as platform:handle, e.g. facebook:kirkkonummi."))
        try:
            return Account.objects.get(platform=platform.strip().lower(), handle=handle.strip())
        except Account.DoesNotExist:
            raise ValueError(_("No account %(account)s in the registry.") % {"account": value}) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.platform}:{value.handle}" if value else ""


class GrantResource(_Checked):
    duplicate_message = gettext_lazy("The grant %(key)s appears twice in the file.")
    account = fields.Field("account", "account", AccountWidget())
    person = fields.Field("person", "person", RegistryKey(Person, "email"))

    class Meta(_Checked.Meta):
        model = AccessGrant
        fields = ("account", "person", "role", "granted", "revoked")
        import_id_fields = ("account", "person", "granted")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        user = kwargs.get("user")
        self._user = user

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None and getattr(self, "_user", None) is not None:
            instance.granted_by = self._user
        if instance.revoked and not instance.revoked_by_id and getattr(self, "_user", None) is not None:
            instance.revoked_by = self._user


RESOURCES = {
    "units": UnitResource,
    "people": PersonResource,
    "accounts": AccountResource,
    "grants": GrantResource,
}


def export_csv(kind: str, queryset=None) -> str:
    resource = RESOURCES[kind]()
    return safe_dataset(resource.export(queryset)).csv


DATE_COLUMNS = {"start_date", "end_date", "created", "last_published", "granted", "revoked"}
FINNISH_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def _unescaped(dataset):
    """Our own exports prefix formula-like cells with an apostrophe; an import takes it off again.
    Dates may be written as on the forms, 31.12.2025, as well as 2025-12-31."""
    headers = list(dataset.headers)
    dates = {i for i, h in enumerate(headers) if h in DATE_COLUMNS}
    out = tablib.Dataset(headers=headers)
    for row in dataset:
        cells = [unescape_cell(c) for c in row]
        for i in dates:
            m = FINNISH_DATE.match(cells[i] or "") if isinstance(cells[i], str) else None
            if m:
                cells[i] = f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        out.append(cells)
    return out


def _check_csv_text(text: str) -> None:
    """What tablib lets pass: an unclosed quote swallows the rest of the file into one cell."""
    try:
        for _row in csv.reader(io.StringIO(text), strict=True):
            pass
    except csv.Error as e:
        raise ValidationError(
            _("The file could not be read as CSV: %(error)s (a quote that is never closed?)") % {"error": e}
        ) from None


def prepare(kind: str, text: str):
    """The CSV text as a dataset ready to import; ValidationError (in the reader's language) for a file
    that is no CSV, has only its header row or lacks a key column."""
    _check_csv_text(text)
    try:
        dataset = tablib.Dataset().load(text, format="csv")
    except Exception as e:  # tablib raises several kinds for unparsable CSV
        raise ValidationError(_("The file could not be read as CSV: %(error)s") % {"error": e}) from None
    if dataset.headers:
        if not len(dataset):
            raise ValidationError(_("The file has only the header row: there is nothing to import."))
        dataset = _unescaped(dataset)
    missing = [f for f in RESOURCES[kind]._meta.import_id_fields if f not in (dataset.headers or [])]
    if missing:
        raise ValidationError(
            _("The file lacks the column(s): %(columns)s") % {"columns": ", ".join(missing)}
        )
    return dataset


def import_csv(kind: str, text: str, *, dry_run: bool, user=None):
    """Import CSV text in this request; returns the import-export Result. Nothing is saved on any error
    or in a dry run. (A large file goes to the background instead: registry/imports.py.)"""
    dataset = prepare(kind, text)
    resource = RESOURCES[kind]()
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=True, use_transactions=True, rollback_on_validation_errors=True, user=user
        )
        if dry_run or result.has_errors() or result.has_validation_errors():
            return result
        result = resource.import_data(
            dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True, user=user
        )
        if result.has_errors() or result.has_validation_errors():
            transaction.set_rollback(True)
    return result

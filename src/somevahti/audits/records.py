"""Plain records the audits read; no database, no framework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ACTIVE, DORMANT, CLOSED = "active", "dormant", "closed"
OWNER_ROLES = frozenset({"owner", "admin"})


@dataclass(slots=True)
class UnitRec:
    id: int
    name: str


@dataclass(slots=True)
class PersonRec:
    id: int
    name: str
    unit_id: int | None = None
    supervisor_id: int | None = None
    email: str = ""
    start: date | None = None
    end: date | None = None
    external: bool = False  # not part of the work community (RANUA-S.8)
    left: bool = False  # marked as having left, whatever the end date says

    def has_left(self, today: date) -> bool:
        return self.left or (self.end is not None and self.end < today)


@dataclass(slots=True)
class AccountRec:
    id: int
    label: str  # e.g. "facebook: kirkkonummi"
    kind: str  # shared | expert | personal
    unit_id: int | None
    status: str = ACTIVE
    owner_id: int | None = None  # the person answerable for the account
    contact_email: str = ""
    names_maintainer: bool = True
    links_website: bool = True
    privacy_notice_url: str = ""
    registered_through_request: bool = True
    created: date | None = None
    last_published: date | None = None  # entered by hand or by CSV import (see activity.py)


@dataclass(slots=True)
class GrantRec:
    id: int
    account_id: int
    person_id: int
    role: str  # owner | admin | editor | moderator
    active: bool = True


@dataclass(slots=True)
class AttestationRec:
    """The latest security attestation of an account (Somevahti never stores a password)."""

    account_id: int
    password_changed: date | None = None
    two_factor: bool | None = None
    login_email_kind: str = ""  # work | personal | ""
    reuses_network_password: bool | None = None
    in_password_manager: bool | None = None
    settings_reviewed: date | None = None


@dataclass
class Thresholds:
    password_max_age_days: int = 180
    settings_review_days: int = 365
    dormant_after_days: int = 180
    email_domains: tuple[str, ...] = ()

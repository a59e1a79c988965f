"""The organisation's directory of staff and units: whose work contacts may be published."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers

from somevahti.errors import InputError

COLUMNS = ("name", "title", "email", "phone")


def normalise_phone(raw: str, regions=("FI", "SE")) -> str | None:
    for region in regions:
        try:
            num = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(num):
            return phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return None


def normalise_name(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class Directory:
    names: set[str] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    email_domains: set[str] = field(default_factory=set)
    rows: list[dict] = field(default_factory=list)

    def add_row(self, row: dict) -> None:
        self.rows.append(row)
        if row.get("name"):
            self.names.add(normalise_name(row["name"]))
        if row.get("email"):
            self.emails.add(row["email"].strip().lower())
        if row.get("phone") and (p := normalise_phone(row["phone"])):
            self.phones.add(p)

    def merge(self, other: Directory) -> None:
        for row in other.rows:
            self.add_row(row)
        self.email_domains |= other.email_domains

    def is_work_email(self, email: str) -> bool:
        email = email.strip().lower()
        domain = email.rsplit("@", 1)[-1]
        return email in self.emails or any(
            domain == d or domain.endswith("." + d) for d in self.email_domains
        )

    def is_work_phone(self, raw: str) -> bool:
        p = normalise_phone(raw)
        return p is not None and p in self.phones

    def is_known_name(self, name: str) -> bool:
        """A person or unit in the directory: full name, or a name that is a whole part of one."""
        n = normalise_name(name)
        if n in self.names:
            return True
        parts = set(n.split())
        return len(parts) >= 2 and any(parts <= set(known.split()) for known in self.names)


def read_directory(path: str | Path) -> Directory:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such directory file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot be read ({e})") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "name" not in header:
        raise InputError(f"{path}: the directory CSV needs the header name,title,email,phone")
    directory = Directory()
    for row in reader:
        clean = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        directory.add_row({c: clean.get(c, "") for c in COLUMNS})
    return directory


def directory_for(pack, extra: list[str] | None = None) -> Directory:
    directory = Directory(email_domains=set(pack.organisation.email_domains))
    if pack.directory:
        base = Path(pack.base_dir or ".")
        directory.merge(read_directory(base / pack.directory))
    for path in extra or []:
        directory.merge(read_directory(path))
    return directory

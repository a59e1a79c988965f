"""The registry's staff and units as the check engine's Directory (work contacts may be published)."""

from __future__ import annotations

from somevahti.policy.directory import Directory
from somevahti.web.registry.models import Person, Unit


def registry_directory(email_domains=()) -> Directory:
    directory = Directory(email_domains=set(email_domains))
    rows = Person.objects.filter(status=Person.Status.ACTIVE).values_list("name", "title", "email", "phone")
    for name, title, email, phone in rows.iterator(chunk_size=2000):
        directory.add_row({"name": name, "title": title, "email": email, "phone": phone})
    for name in Unit.objects.values_list("name", flat=True):
        directory.add_row({"name": name, "title": "", "email": "", "phone": ""})
    return directory

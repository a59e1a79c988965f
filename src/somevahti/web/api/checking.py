"""The organisation's pack and a Checker whose directory is the registry's staff and units."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from somevahti.check import Checker
from somevahti.errors import PackError
from somevahti.policy import load_pack
from somevahti.policy.directory import directory_for


@lru_cache(maxsize=1)
def organisation_pack():
    """The configured pack (SOMEVAHTI_PACK), or the generic one while that pack is not available."""
    for name in (settings.SOMEVAHTI["PACK"], "generic"):
        try:
            return load_pack(name)
        except PackError:
            continue
    return None


def checker(use_ner: bool = False) -> Checker:
    from somevahti.web.registry.directory import registry_directory

    pack = organisation_pack()
    directory = directory_for(pack)
    directory.merge(registry_directory(pack.organisation.email_domains))
    return Checker(pack, directory=directory, use_ner=use_ner)

"""Every text of the web application and the command line is in Finnish and Swedish: the catalogues
have no untranslated or fuzzy entry, and a translation keeps the placeholders of its English text."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

import somevahti

PACKAGE = Path(somevahti.__file__).parent
LOCALE = PACKAGE / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogue_is_complete(lang):
    po = _catalogue(lang)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_the_placeholders(lang):
    broken = []
    for e in _catalogue(lang).translated_entries():
        source = set(_placeholders(e.msgid)) | set(_placeholders(e.msgid_plural or ""))
        forms = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        used = [set(_placeholders(text)) for text in forms]
        # A plural form may leave out the count (Finnish "yksi"), but nothing else, and add nothing.
        if set().union(*used) != source or any(u - source for u in used):
            broken.append((e.msgid, forms))
    assert broken == []


def test_placeholder_check_notices_a_lost_one():
    assert set(_placeholders("{account} has {days} days")) != set(_placeholders("{account} on päiviä"))
    assert set(_placeholders("%(n)s of %(total)s")) == set(_placeholders("%(total)s:sta %(n)s"))


def test_command_line_counts_take_the_singular_for_one(tmp_path, monkeypatch, capsys):
    from somevahti.archive import Archive
    from somevahti.cli import main

    url = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    archive = Archive.open(url, media_dir=tmp_path / "media", keys_dir=tmp_path / "keys")
    archive.append("post", {"event": "published", "texts": {"fi": "Hei"}}, org="kunta", account="x:y", actor="t",
                   subject="x:1")
    archive.close()
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_KEYS", str(tmp_path / "keys"))
    monkeypatch.setenv("SOMEVAHTI_ARCHIVE_MEDIA", str(tmp_path / "media"))
    out = {}
    for lang in ("en", "fi", "sv"):
        monkeypatch.setenv("SOMEVAHTI_LANG", lang)
        main(["archive", "verify", "--db", url, "--org", "kunta"])
        out[lang] = capsys.readouterr().out
    assert "kunta: 1 record (0 purged), 0 checkpoints, 0 media files" in out["en"]
    assert "kunta: 1 tallenne (0 hävitetty), 0 tarkistuspistettä, 0 mediatiedostoa" in out["fi"]
    assert "kunta: 1 post (0 gallrade), 0 kontrollpunkter, 0 mediefiler" in out["sv"]


def test_audit_summary_counts_one_finding_in_the_singular(monkeypatch):
    from somevahti.audits.render import render_text

    class One:
        clauses, rule, act_roles, act_people = ["KIRK-2.1"], "no-active-owner", [], []
        message, params = "{account} has no active owner or admin.", {"account": "x:y"}

    monkeypatch.setenv("SOMEVAHTI_LANG", "en")
    assert render_text([One()], {}).endswith("\n1 finding.")
    monkeypatch.setenv("SOMEVAHTI_LANG", "fi")
    assert render_text([One()], {}).endswith("\n1 havainto.")
    assert render_text([One(), One()], {}).endswith("\n2 havaintoa.")

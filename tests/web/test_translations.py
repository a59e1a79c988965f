"""Every text of the web application and the command line is in Finnish and Swedish: the catalogues
have no untranslated or fuzzy entry, and a translation keeps the placeholders of its English text."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest

import somevahti

PACKAGE = Path(somevahti.__file__).parent
LOCALE = PACKAGE / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


CATALOGUES = [LOCALE, *sorted(PACKAGE.glob("web/*/locale"))]  # the core's and the apps' own (the inbox's)
GETTEXT_CALLS = {"_", "N_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def _catalogue(lang: str, where: Path = LOCALE) -> polib.POFile:
    return polib.pofile(str(where / lang / "LC_MESSAGES" / "django.po"))


def _messages_in_code():
    """Every literal message given to gettext in the package's Python code: (file, line, msgid)."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield path.relative_to(PACKAGE).as_posix(), node.lineno, node.args[0].value


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("where", CATALOGUES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_catalogue_is_complete(lang, where):
    po = _catalogue(lang, where)
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_message_in_the_code_is_translated(lang):
    """A message the catalogues lack (the catalogues not remade, or a gettext call inside an f-string,
    which xgettext does not see) would reach the user in English."""
    translated = {
        e.msgid
        for where in CATALOGUES
        for e in _catalogue(lang, where).translated_entries()
        if "fuzzy" not in e.flags
    }
    assert [m for m in _messages_in_code() if m[2] not in translated] == []


def test_the_code_scan_reaches_the_core_the_connectors_and_the_inbox():
    found = {(f, m) for f, _line, m in _messages_in_code()}
    assert ("output.py", "Suggestion") in found and (
        "channels/secrets.py",
        "%s is not a valid Fernet key",
    ) in found
    assert ("web/inbox/overdue.py", "Somevahti: %(n)d comment past its answer time") in found


@pytest.mark.parametrize("where", CATALOGUES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_translations_keep_the_placeholders(lang, where):
    broken = []
    for e in _catalogue(lang, where).translated_entries():
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
    archive.append(
        "post",
        {"event": "published", "texts": {"fi": "Hei"}},
        org="kunta",
        account="x:y",
        actor="t",
        subject="x:1",
    )
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

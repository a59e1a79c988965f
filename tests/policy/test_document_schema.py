"""The pack's document section is strict: a mistake names the file and line, at load time."""

from __future__ import annotations

import pytest

from somevahti.errors import PackError
from somevahti.policy import load_pack
from somevahti.policy.render import LANGS, texts
from tests.helpers import write_pack

HEAD = """\
id: doc-test
extends: kirkkonummi
"""


def test_a_chapter_with_an_unknown_clause_names_the_line(tmp_path):
    path = write_pack(
        tmp_path,
        HEAD
        + """\
document:
  chapters:
    - id: "1"
      title: {fi: Yksi, sv: Ett, en: One}
      clauses: [KIRK-5.3, KIRK-55.3]
""",
    )
    with pytest.raises(PackError, match=r"pack\.yaml:7: document\.chapters\[0\]\.clauses: .*KIRK-55\.3"):
        load_pack(str(path))


def test_a_chapter_without_a_swedish_title_is_an_error(tmp_path):
    path = write_pack(
        tmp_path,
        HEAD
        + """\
document:
  chapters:
    - id: "1"
      title: {fi: Yksi, en: One}
""",
    )
    with pytest.raises(
        PackError, match=r"pack\.yaml:\d+: document\.chapters\[0\]\.title\.sv: Field required"
    ):
        load_pack(str(path))


def test_a_misspelt_key_is_an_error(tmp_path):
    path = write_pack(
        tmp_path,
        HEAD
        + """\
document:
  chapter:
    - id: "1"
""",
    )
    with pytest.raises(PackError, match=r"pack\.yaml:4: document\.chapter: Extra inputs are not permitted"):
        load_pack(str(path))


def test_an_example_for_a_rule_the_pack_lacks_is_an_error(tmp_path):
    path = write_pack(
        tmp_path,
        HEAD
        + """\
document:
  examples:
    kirk-tonee:
      post: {text: "Hei"}
""",
    )
    with pytest.raises(PackError, match=r"no rule 'kirk-tonee'"):
        load_pack(str(path))


def test_an_example_post_is_a_post_document(tmp_path):
    path = write_pack(
        tmp_path,
        HEAD
        + """\
document:
  examples:
    kirk-tone:
      post: {text: "Hei", channel: facebok}
""",
    )
    with pytest.raises(PackError, match=r"pack\.yaml:\d+: document\.examples\.kirk-tone\.post\.channel"):
        load_pack(str(path))


def test_a_clause_in_two_chapters_is_an_error(tmp_path):
    path = write_pack(
        tmp_path,
        HEAD
        + """\
document:
  chapters:
    - {id: a, title: {fi: A, sv: A, en: A}, clauses: [KIRK-5.3]}
    - {id: b, title: {fi: B, sv: B, en: B}, clauses: [KIRK-5.3]}
""",
    )
    with pytest.raises(PackError, match=r"KIRK-5.3' is placed in two chapters"):
        load_pack(str(path))


def test_a_pack_that_extends_keeps_the_parents_chapters_and_examples(tmp_path):
    pack = load_pack(str(write_pack(tmp_path, HEAD + "disable: [kirk-hashtags]\n")))
    assert len(pack.document.chapters) == 8
    assert "kirk-hashtags" in pack.document.examples  # switched off, so allowed but not shown


def _entries(node, path=()):
    if isinstance(node, dict) and set(node) == set(LANGS):
        yield path, node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _entries(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _entries(v, (*path, i))


def test_the_documents_own_words_are_in_every_language():
    data = texts()
    entries = list(_entries(data))
    assert len(entries) > 120
    for path, entry in entries:
        assert all(isinstance(entry[lang], str) and entry[lang].strip() for lang in LANGS), path
    from somevahti.audits.base import registered_rules
    from somevahti.rules import family_names
    from somevahti.triage.categories import CATEGORIES

    assert set(family_names()) <= set(data["families"])
    assert set(registered_rules()) <= set(data["audits"])
    assert set(CATEGORIES) <= set(data["queues"])

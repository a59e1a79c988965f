"""The built-in packs: they load, cover their policy, cite their own clauses, render, extend; and a
broken pack is reported with its file and line, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from somevahti.check import Checker
from somevahti.commands.policy import coverage
from somevahti.document import PostDocument
from somevahti.errors import PackError
from somevahti.policy import available_packs, load_pack
from somevahti.policy.clauses import clauses, clauses_of
from somevahti.policy.directory import directory_for
from somevahti.policy.render import render_markdown

ORGS = ("kela", "kirkkonummi", "ranua", "foretaget")
BUILTIN = Path(load_pack("generic").base_dir)
UNIT_PACK = Path(__file__).parent / "packs" / "kirkkonummi_kirjasto.yaml"


def test_the_five_builtin_packs_exist():
    assert {"generic", *ORGS} <= set(available_packs())


@pytest.mark.parametrize("name", available_packs())
def test_every_builtin_pack_loads_and_builds_a_checker(name):
    pack = load_pack(name)
    assert pack.id == name and pack.rules
    Checker(pack, use_ner=False)
    for rule in pack.rules:
        for msg in [rule.message, *rule.messages.values()]:
            assert msg.fi.strip() and msg.sv.strip() and msg.en.strip(), rule.id


@pytest.mark.parametrize("org", ORGS)
def test_every_check_clause_is_enforced(org):
    rows = coverage(load_pack(org))
    assert {r["clause"] for r in rows} == {c.id for c in clauses_of(org)}
    missing = [r["clause"] for r in rows if r["status"] == "missing"]
    assert not missing, f"check clauses without a rule: {missing}"


@pytest.mark.parametrize("org", ORGS)
def test_rules_cite_their_own_organisation_and_ids_carry_its_prefix(org):
    pack = load_pack(org)
    assert pack.clauses_of == org
    prefix = {"kela": "kela-", "kirkkonummi": "kirk-", "ranua": "ranua-", "foretaget": "foretaget-"}[org]
    for rule in pack.rules:
        assert rule.id.startswith(prefix), rule.id
        foreign = [c for c in rule.clauses if clauses()[c].organisation != org]
        assert not foreign, f"{rule.id} cites another organisation's clauses {foreign}"
    for cid in pack.guidance:
        assert clauses()[cid].organisation == org and clauses()[cid].kind == "guidance", cid


def test_generic_cites_shared_clauses_of_every_source_policy():
    pack = load_pack("generic")
    cited = {clauses()[c].organisation for r in pack.rules for c in r.clauses}
    assert cited == set(ORGS), "generic rests on all four source policies"
    assert {r.family for r in pack.rules} >= {"personal_data", "lexicon", "media", "links", "platform_limits"}


@pytest.mark.parametrize("org", ORGS)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_render_in_each_language_carries_the_clause_texts_and_rule_ids(org, lang):
    """Messages appear filled in from each rule's example (tests/policy/test_document.py)."""
    pack = load_pack(org)
    text = " ".join(re.sub(r"\\(.)", r"\1", render_markdown(pack, lang)).split())
    for clause in clauses_of(org):
        assert " ".join(clause.text[lang].split()) in text, (
            f"{clause.id} ({lang}) missing from the rendered policy"
        )
    for rule in pack.rules:
        assert f"`{rule.id}`" in text


@pytest.mark.parametrize("org", ORGS)
def test_directories_load_and_contacts_are_work_contacts(org):
    pack = load_pack(org)
    directory = directory_for(pack)
    assert len(directory.rows) >= 4
    for row in directory.rows:
        if row["email"]:
            assert directory.is_work_email(row["email"]), row
    assert not directory.is_work_email("someone@gmail.com")


def test_a_unit_pack_extends_kirkkonummi_overrides_a_severity_and_disables_a_rule():
    base, unit = load_pack("kirkkonummi"), load_pack(str(UNIT_PACK))
    assert unit.extends == "kirkkonummi"
    assert unit.organisation.name == "Kirkkonummen kirjasto"
    assert unit.organisation.website == base.organisation.website, "inherited fields stay"
    ids = [r.id for r in unit.rules]
    assert "kirk-hashtags" not in ids and "kirk-hashtags" in [r.id for r in base.rules]
    assert len(ids) == len(base.rules) and ids[-1] == "kirjasto-hashtags", (
        "one rule off, one of its own added"
    )
    signature = next(r for r in unit.rules if r.id == "kirk-signature")
    assert (
        signature.severity == "error"
        and signature.message == next(r for r in base.rules if r.id == "kirk-signature").message
    ), "a partial override keeps the message"

    reply = PostDocument(
        channel="facebook", kind="reply", text="Kiitos palautteesta! Katuvalo korjataan tällä viikolla."
    )
    post = PostDocument(
        channel="facebook",
        text={
            "fi": "Kirjasto on suljettu perjantaina. Lue lisää: https://www.kirkkonummi.fi/kirjasto",
            "sv": "Biblioteket är stängt på fredag. Läs mer: https://www.kirkkonummi.fi/kirjasto",
        },
    )
    base_checker, unit_checker = Checker(base, use_ner=False), Checker(unit, use_ner=False)
    assert [(f.rule, f.severity) for f in base_checker.check(reply)] == [("kirk-signature", "warning")]
    assert [(f.rule, f.severity) for f in unit_checker.check(reply)] == [("kirk-signature", "error")]
    assert [f.rule for f in base_checker.check(post)] == ["kirk-hashtags"]
    assert [f.rule for f in unit_checker.check(post)] == ["kirjasto-hashtags"]
    tagged = post.model_copy(update={"text": {k: v + " #kirkkonummenkirjasto" for k, v in post.text.items()}})
    assert unit_checker.check(tagged) == [] and [f.rule for f in base_checker.check(tagged)] == [
        "kirk-hashtags"
    ]


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


BREAKAGES = [
    # (what, old, new, words the error must carry)
    ("yaml syntax", "  - id: kirk-tone\n", "  - id: kirk-tone\n    params: [unclosed\n", ["malformed YAML"]),
    (
        "family typo",
        "family: signature\n",
        "family: signatur\n",
        ["unknown rule family 'signatur'", "did you mean 'signature'"],
    ),
    ("unknown clause", "clauses: [KIRK-6.3]\n", "clauses: [KIRK-6.33]\n", ["unknown clause id 'KIRK-6.33'"]),
    (
        "message language",
        '      sv: "Fäst bara aktuella och betydande inlägg, och ge fästningen ett slutdatum."\n',
        "",
        ["message.sv", "Field required"],
    ),
    ("bad params", "      max_days: 60\n", "      max_days: sixty\n", ["params.max_days"]),
    ("unknown param", "      min_words: 3\n", "      min_word: 3\n", ["params.min_word", "Extra inputs"]),
]


@pytest.fixture
def broken(tmp_path):
    source = (BUILTIN / "kirkkonummi.yaml").read_text(encoding="utf-8")

    def make(old: str, new: str) -> tuple[Path, int]:
        assert source.count(old) == 1, old
        path = tmp_path / "kirkkonummi-broken.yaml"
        broken_text = source.replace(old, new)
        path.write_text(broken_text, encoding="utf-8")
        (tmp_path / "directories").symlink_to(BUILTIN / "directories")
        return path, _line_of(source, old)

    return make


@pytest.mark.parametrize(("what", "old", "new", "words"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_a_broken_pack_names_the_file_the_line_and_the_problem(broken, what, old, new, words):
    path, line = broken(old, new)
    with pytest.raises(PackError) as err:
        load_pack(str(path))
    message = str(err.value)
    assert message.startswith(f"{path}:"), message
    reported = int(message.split(":")[1])
    assert abs(reported - line) <= 3, f"line {reported}, the damage is at {line}: {message}"
    for word in words:
        assert word in message


@pytest.mark.parametrize(("what", "old", "new", "words"), BREAKAGES[:3], ids=[b[0] for b in BREAKAGES[:3]])
def test_the_cli_reports_a_broken_pack_in_one_line_with_exit_2(broken, tmp_path, what, old, new, words):
    path, _ = broken(old, new)
    post = tmp_path / "post.txt"
    post.write_text("Kirjasto on auki tänään.", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "somevahti", "check", "--policy", str(path), str(post)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words[0] in lines[0]

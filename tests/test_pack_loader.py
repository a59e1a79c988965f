"""Packs load with extends and overrides; broken packs fail with file, line, field and reason."""

import pytest

from somevahti.errors import PackError
from somevahti.policy.loader import load_pack
from tests.helpers import write_pack

BASE = """\
id: base
organisation: {name: Testikunta, email_domains: [testikunta.fi], web_domains: [testikunta.fi]}
rules:
  - id: limits
    family: platform_limits
    severity: error
    clauses: [KIRK-5.3]
    message: {fi: "liian pitkä", sv: "för lång", en: "too long"}
  - id: limits-strict
    family: platform_limits
    severity: warning
    clauses: [KIRK-5.3]
    params: {limits: {x: 100}}
    message: {fi: "pitkä", sv: "lång", en: "long"}
"""


def test_extends_overrides_by_id_and_disables(tmp_path):
    write_pack(tmp_path, BASE, "base.yaml")
    child = write_pack(
        tmp_path,
        """\
        id: child
        extends: base.yaml
        organisation: {name: Lapsikunta}
        disable: [limits-strict]
        rules:
          - id: limits
            severity: warning
        """,
        "child.yaml",
    )
    pack = load_pack(str(child))
    assert pack.extends == "base.yaml"
    assert pack.organisation.name == "Lapsikunta"
    assert pack.organisation.email_domains == ["testikunta.fi"], "inherited fields are kept"
    assert [r.id for r in pack.rules] == ["limits"]
    assert pack.rules[0].severity == "warning"
    assert pack.rules[0].message.sv == "för lång", "a partial override keeps the rest of the rule"


def test_extends_a_builtin_pack_by_name(tmp_path):
    child = write_pack(tmp_path, "id: mine\nextends: generic\norganisation: {name: Oma}\n")
    pack = load_pack(str(child))
    assert pack.organisation.name == "Oma"
    assert pack.rules, "the built-in pack's rules are inherited"


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (
            BASE.replace(
                "family: platform_limits\n    severity: warning",
                "family: platform_limit\n    severity: warning",
            ),
            10,
            ["rules[1].family", "platform_limit", "did you mean 'platform_limits'"],
        ),
        (BASE.replace("clauses: [KIRK-5.3]\n    params", "clauses: [KIRK-99]\n    params"), 12, ["KIRK-99"]),
        (BASE.replace('sv: "lång", ', ""), 14, ["rules[1].message.sv", "Field required"]),
        (BASE.replace("{limits: {x: 100}}", "{limits: {x: many}}"), 13, ["rules[1].params.limits.x"]),
        (BASE.replace("{limits: {x: 100}}", "{limit: 100}"), 13, ["rules[1].params.limit", "Extra inputs"]),
        (BASE.replace("severity: error", "severity: fatal"), 6, ["rules[0].severity"]),
        (
            BASE + "  - {id: limits, family: platform_limits, severity: error, clauses: [KIRK-5.3],"
            " message: {fi: a, sv: b, en: c}}\n",
            None,
            ["duplicate rule id 'limits'"],
        ),
        (BASE.replace("rules:\n", "rules:\n  - [broken\n"), 5, ["malformed YAML"]),
    ],
)
def test_broken_pack_names_file_line_and_problem(tmp_path, body, line, words):
    path = write_pack(tmp_path, body)
    with pytest.raises(PackError) as err:
        load_pack(str(path))
    msg = str(err.value)
    assert msg.startswith(str(path)), msg
    if line is not None:
        assert msg.startswith(f"{path}:{line}:"), msg
    for w in words:
        assert w in msg, msg


def test_extends_cycle_is_an_error(tmp_path):
    write_pack(tmp_path, "id: a\nextends: b.yaml\norganisation: {name: A}\n", "a.yaml")
    write_pack(tmp_path, "id: b\nextends: a.yaml\norganisation: {name: B}\n", "b.yaml")
    with pytest.raises(PackError, match="circle"):
        load_pack(str(tmp_path / "a.yaml"))


def test_unknown_pack_name_suggests_a_builtin():
    with pytest.raises(PackError, match="did you mean 'generic'"):
        load_pack("generik")


def test_inherited_directory_is_relative_to_the_pack_that_names_it(tmp_path):
    from somevahti.check import Checker

    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "staff.csv").write_text(
        "name,title,email,phone\nMaija Virtanen,,,\n", encoding="utf-8"
    )
    write_pack(tmp_path / "org", BASE.replace("rules:", "directory: staff.csv\nrules:"), "base.yaml")
    (tmp_path / "mine").mkdir()
    child = write_pack(tmp_path / "mine", "id: c\nextends: ../org/base.yaml\norganisation: {name: C}\n")
    checker = Checker(load_pack(str(child)))
    assert checker.directory.is_known_name("Maija Virtanen")

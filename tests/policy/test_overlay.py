"""Overlay packs (issue 12, the policy wizard): ``extends: <base>`` plus only what differs; they load
with file:line errors, the command line reads them, and a rule switched off or at another level
changes what ``check`` reports."""

from __future__ import annotations

import json

import pytest
import yaml

from somevahti.check import Checker
from somevahti.cli import main
from somevahti.document import PostDocument
from somevahti.errors import PackError
from somevahti.policy import load_pack, overlay

POST = "Soita numeroon 040 123 4567 tai mailaa matti.meikalainen@gmail.com."


def _data(pack):
    return pack.model_dump(mode="json", exclude={"extends", "base_dir", "id", "version"})


def _rule_of(pack, family):
    return next(r for r in pack.rules if r.family == family)


@pytest.mark.parametrize("base", overlay.BASES)
def test_an_overlay_round_trips_over_each_seed_pack(base):
    pack = load_pack(base)
    data = overlay.new_overlay(base, f"{base}-oma", "2027.1")
    assert _data(overlay.load(overlay.dump(data))) == _data(pack)  # nothing chosen: the base itself

    rule = _rule_of(pack, "personal_data")
    data = overlay.set_value(data, ("organisation", "name"), "Oma organisaatio")
    data = overlay.set_value(
        data, ("organisation", "email_domains"), pack.organisation.email_domains
    )  # unchanged
    data = overlay.set_value(data, ("hashtags",), ["#oma"])
    data = overlay.set_value(data, ("audits", "thresholds", "password_max_age_days"), 90)
    data = overlay.set_rule(data, rule.id, enabled=True, severity="warning")
    text = overlay.dump(data)
    written = yaml.safe_load(text)
    assert written == {
        "id": f"{base}-oma",
        "version": "2027.1",
        "extends": base,
        "organisation": {"name": "Oma organisaatio"},
        "hashtags": ["#oma"],
        "audits": {"thresholds": {"password_max_age_days": 90}},
        "rules": [{"id": rule.id, "severity": "warning"}],
    }
    loaded = overlay.load(text, "oma.yaml")
    assert (loaded.id, loaded.version, loaded.extends) == (f"{base}-oma", "2027.1", base)
    assert loaded.organisation.name == "Oma organisaatio"
    assert loaded.organisation.email_domains == pack.organisation.email_domains  # merged from the base
    assert loaded.audits.thresholds.password_max_age_days == 90
    assert next(r for r in loaded.rules if r.id == rule.id).severity == "warning"
    assert overlay.parse(text) == written

    # Setting a value back to the base's removes it from the overlay again.
    data = overlay.set_value(data, ("organisation", "name"), pack.organisation.name)
    data = overlay.set_rule(data, rule.id, enabled=True, severity=str(rule.severity))
    assert "organisation" not in data and "rules" not in data


@pytest.mark.parametrize("base", overlay.BASES)
def test_switching_a_rule_off_or_changing_its_level_changes_the_check(base):
    pack = load_pack(base)
    rule = _rule_of(pack, "personal_data")
    doc = PostDocument(text={pack.first_language: POST})

    def found(data):
        return {
            (f.rule, str(f.severity))
            for f in Checker(overlay.load(overlay.dump(data)), use_ner=False).check(doc)
        }

    data = overlay.new_overlay(base)
    assert (rule.id, "error") in found(data)
    assert (rule.id, "warning") in found(overlay.set_rule(data, rule.id, enabled=True, severity="warning"))
    assert not any(
        r == rule.id for r, _ in found(overlay.set_rule(data, rule.id, enabled=False, severity="error"))
    )


def test_mappings_merge_key_by_key_and_unchanged_keys_are_left_out():
    data = overlay.new_overlay("kirkkonummi")
    routes = {"threat": ["supervisor", "communications"], "phishing": ["it_security"]}
    base = {"threat": ["supervisor"], "phishing": ["it_security"]}
    data = overlay.set_value(data, ("incidents", "routes"), routes, base=base)
    assert data["incidents"] == {"routes": {"threat": ["supervisor", "communications"]}}
    data = overlay.set_value(data, ("incidents", "routes"), base, base=base)
    assert "incidents" not in data


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "id: x\nextends: kirkkonummi\nrules:\n  - id: kirk-signature\n    severity: fatal\n",
            "draft.yaml:5: rules[10].severity",
        ),
        ("id: x\nextends: kirkkonummi\norganisation:\n  nam: Kunta\n", "draft.yaml:4: organisation.nam"),
        ("id: x\nextends: kirkkonumi\n", "draft.yaml:2: extends"),
        ("id: x\nextends: generic\ndirectory: /etc/passwd\n", "draft.yaml:3: directory"),
        ("id: x\nextends: generic\nlexicons:\n  oma: /etc/oma.yaml\n", "draft.yaml:3: lexicons.oma"),
        ("id: x\nextends: generic\nhashtags: [a\n", "draft.yaml:4"),
        ("- just\n- a list\n", "draft.yaml:1"),
    ],
)
def test_a_bad_overlay_names_the_file_and_line(text, where):
    with pytest.raises(PackError) as e:
        overlay.load(text, "draft.yaml")
    assert str(e.value).startswith(where), str(e.value)


def test_the_command_line_validates_and_checks_with_an_overlay(tmp_path, capsys):
    data = overlay.set_rule(
        overlay.new_overlay("ranua", "ranua-oma"), "ranua-personal-data", enabled=True, severity="warning"
    )
    path = tmp_path / "ranua-oma.yaml"
    path.write_text(overlay.dump(data), encoding="utf-8")
    post = tmp_path / "post.txt"
    post.write_text(POST, encoding="utf-8")
    assert main(["policy", "validate", str(path)]) == 0
    capsys.readouterr()
    assert main(["check", "--policy", "ranua", "--format", "json", str(post)]) == 1  # an error in the base
    capsys.readouterr()
    assert main(["check", "--policy", str(path), "--format", "json", str(post)]) == 0  # only a warning now
    out = json.loads(capsys.readouterr().out)
    assert "ranua-personal-data" in json.dumps(out) and '"warning"' in json.dumps(out)
    bad = tmp_path / "bad.yaml"  # (packs are cached by path)
    bad.write_text("id: x\nextends: ranua\nrules:\n  - id: ranua-personal-data\n    severity: loud\n")
    assert main(["policy", "validate", str(bad)]) == 2
    assert f"{bad}:5:" in capsys.readouterr().err

"""Connectors, rule families and audit rules from an outside distribution's entry points."""

import sys
import textwrap

import pytest

from somevahti import channels, plugins, rules
from somevahti.audits import base as audit_base
from somevahti.audits import registered_rules
from somevahti.channels import base


@pytest.fixture
def fake_distribution(tmp_path, monkeypatch):
    """An installed distribution 'somevahti-fake' (a dist-info directory on sys.path, as pip leaves it)."""
    (tmp_path / "somevahti_fake.py").write_text(
        textwrap.dedent("""
        from somevahti.audits.base import audit_rule
        from somevahti.channels.base import Connector
        from somevahti.rules.base import RuleFamily


        class ThreadsConnector(Connector):
            name = "fake-threads"


        class Shouting(RuleFamily):
            name = "fake_shouting"

            def check(self, ctx):
                return []


        @audit_rule("fake-audit", ("SF-15",))
        def fake_audit(snapshot):
            return []
    """)
    )
    info = tmp_path / "somevahti_fake-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: somevahti-fake\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent("""
        [somevahti.connectors]
        fake-threads = somevahti_fake:ThreadsConnector
        broken = somevahti_fake_missing:Nothing

        [somevahti.rules]
        fake_shouting = somevahti_fake:Shouting

        [somevahti.audits]
        fake = somevahti_fake
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.reset()
    monkeypatch.setattr(rules, "_loaded", False)
    yield
    plugins.reset()
    sys.modules.pop("somevahti_fake", None)
    base._REGISTRY.pop("fake-threads", None)
    rules._REGISTRY.pop("fake_shouting", None)
    audit_base._RULES.pop("fake-audit", None)


def test_an_outside_connector_rule_family_and_audit_rule_are_found(fake_distribution):
    assert "fake-threads" in channels.available()
    assert channels.get("fake-threads").__name__ == "ThreadsConnector"
    assert rules.get_family("fake_shouting").__name__ == "Shouting"
    assert "fake-audit" in registered_rules()
    assert "somevahti.connectors:broken" in plugins.failures  # named, and the others still loaded
    assert "mastodon" in channels.available() and "lexicon" in rules.family_names()


def test_the_built_ins_are_declared_as_entry_points():
    from importlib.metadata import entry_points

    assert {"file", "mastodon"} <= {e.name for e in entry_points(group="somevahti.connectors")}
    assert {"lexicon", "personal_data"} <= {e.name for e in entry_points(group="somevahti.rules")}
    assert {"access", "security"} <= {e.name for e in entry_points(group="somevahti.audits")}

"""``somevahti audit`` prints the findings in text or JSON, citing clauses and who must act."""

from __future__ import annotations

import json

import pytest

from somevahti.cli import main


@pytest.mark.django_db(transaction=True)
def test_audit_json_and_text(org, capsys):
    assert main(["audit", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    leaver = [f for f in data["findings"] if f["rule"] == "leaver-access"]
    assert leaver and leaver[0]["clauses"] == ["RANUA-S.8"] and "Ville Virtanen" in leaver[0]["text"]
    assert "supervisor" in leaver[0]["act_roles"]
    assert main(["audit"]) == 1
    out = capsys.readouterr().out
    assert "[RANUA-S.8]" in out and "Ville Virtanen" in out


@pytest.mark.django_db(transaction=True)
def test_audit_of_a_clean_registry_exits_0(org, capsys):
    org.leaver_grant.delete()
    assert main(["audit", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []

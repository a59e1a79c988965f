"""Versions in force: every version of the pack put in force is kept with who approved it and when (a
communications admin with verified two-step sign-in); the history and a readable difference; check
results and audit findings record the pack version they used."""

from __future__ import annotations

import pytest
import yaml

from somevahti.policy import load_pack, versions
from somevahti.web.api import checking
from somevahti.web.core.models import Role
from somevahti.web.policy.models import PackVersion


@pytest.fixture
def pack_in_force(settings):
    def use(name):
        settings.SOMEVAHTI = {**settings.SOMEVAHTI, "PACK": name}
        checking.organisation_pack.cache_clear()

    yield use
    checking.organisation_pack.cache_clear()


CHILD = """\
id: kirkkonummi
version: "2026.12"
extends: kirkkonummi
hashtags: ["#kirkkonummi"]
disable: [kirk-pinning]
rules:
  - id: kirk-signature
    severity: error
  - id: kirk-library-hashtag
    family: hashtags
    severity: suggestion
    clauses: [KIRK-5.19]
    params: {hashtags: ["#kirkkonummenkirjasto"]}
    message: {fi: "Lisää {hashtags}.", sv: "Lägg till {hashtags}.", en: "Add {hashtags}."}
"""


@pytest.mark.django_db
def test_a_verified_communications_admin_puts_versions_in_force_and_sees_the_differences(
    org, login, pack_in_force, tmp_path
):
    pack_in_force("kirkkonummi")
    admin = org.users[Role.COMMUNICATIONS_ADMIN]
    client = login(admin)
    client.cookies.load({"django_language": "en"})
    page = client.get("/policy/versions/").content.decode()
    assert "No version has been put in force yet." in page and "/policy/versions/put-in-force/" in page
    assert (
        client.post("/policy/versions/put-in-force/", {"note": "Hyväksytty johtoryhmässä"}).status_code == 302
    )
    assert (
        client.post("/policy/versions/put-in-force/").status_code == 302
    )  # same content: not recorded twice
    first = PackVersion.objects.get()
    pack = load_pack("kirkkonummi")
    assert (first.pack, first.version, first.approved_by, first.digest) == (
        "kirkkonummi",
        "2026.11",
        admin,
        versions.digest(pack),
    )
    assert first.note == "Hyväksytty johtoryhmässä"
    assert first.content()["pack"]["rules"] == yaml.safe_load(versions.source(pack))["pack"]["rules"]
    assert first.history.count() == 1

    child = tmp_path / "kirkkonummi-next.yaml"
    child.write_text(CHILD, encoding="utf-8")
    pack_in_force(str(child))
    assert "is not the version in force" in client.get("/policy/versions/").content.decode()
    client.post("/policy/versions/put-in-force/")
    second = PackVersion.in_force("kirkkonummi")
    assert second != first and second.version == "2026.12"
    history = client.get("/policy/versions/").content.decode()
    assert history.index(second.label) < history.index(first.label)

    diff = client.get("/policy/versions/diff/", {"a": first.pk, "b": second.pk}).content.decode()
    added, removed, changed = (diff.index(h) for h in ("Rules added", "Rules removed", "Rules changed"))
    assert added < diff.index("kirk-library-hashtag") < removed < diff.index("kirk-pinning") < changed
    row = diff[diff.index("<code>kirk-signature</code>") :]
    assert "<code>severity</code></td><td><del>warning</del></td><td><ins>error</ins>" in row
    assert "<code>hashtags</code>" in diff and "<code>version</code>" in diff
    assert client.get(f"/policy/versions/{first.pk}/").status_code == 200


@pytest.mark.django_db
def test_only_a_verified_communications_admin_puts_a_version_in_force(org, login, client, pack_in_force):
    pack_in_force("ranua")
    for role in (Role.AUTHOR, Role.UNIT_EDITOR, Role.AUDITOR, Role.IT_SECURITY):
        assert login(org.users[role]).post("/policy/versions/put-in-force/").status_code == 403
    client.logout()
    client.force_login(org.users[Role.COMMUNICATIONS_ADMIN])  # without the two-step code
    response = client.post("/policy/versions/put-in-force/")
    assert response.status_code == 302 and "/2fa/" in response["Location"]
    from django.core.exceptions import PermissionDenied

    from somevahti.web.policy.services import put_in_force

    with pytest.raises(PermissionDenied):
        put_in_force(load_pack("ranua"), org.users[Role.COMMUNICATIONS_ADMIN])  # not a verified sign-in
    assert not PackVersion.objects.exists()
    assert login(org.users[Role.AUTHOR]).get("/policy/versions/").status_code == 403
    assert login(org.users[Role.AUDITOR]).get("/policy/versions/").status_code == 200


def test_compare_names_clause_text_changes():
    pack = load_pack("foretaget")
    old = versions.content(pack)
    new = yaml.safe_load(yaml.safe_dump(old))
    new["clauses"]["SF-7"]["sv"] = "Var alltid artig."
    new["pack"]["rules"][0]["params"]["min_score"] = 0.7
    diff = versions.compare(old, new)
    assert diff.clauses_changed == [("SF-7", "sv", old["clauses"]["SF-7"]["sv"], "Var alltid artig.")]
    assert [(c.rule, [f for f, _, _ in c.changes]) for c in diff.rules_changed] == [
        (pack.rules[0].id, ["params.min_score"])
    ]
    assert not diff.rules_added and not diff.rules_removed and not diff.sections_changed
    assert versions.compare(old, old).empty


@pytest.mark.django_db
def test_check_results_and_audit_findings_record_the_pack_version(org, login, pack_in_force):
    from somevahti.web.audits.models import Finding
    from somevahti.web.audits.service import run_and_store

    pack_in_force("kirkkonummi")
    label = versions.label(load_pack("kirkkonummi"))
    run_and_store(notify=False)
    leaver = Finding.objects.get(rule="leaver-access")
    assert leaver.pack_version == label
    client = login(org.users[Role.AUTHOR])
    response = client.post(
        "/api/check", {"channel": "facebook", "text": {"fi": "Hei"}}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["pack_version"] == versions.version_info(load_pack("kirkkonummi"))

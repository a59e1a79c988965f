"""Retention rules, legal holds (both recorded), search with inflected forms and filters, permissions."""

from datetime import UTC, datetime

import pytest

from somevahti.archive import retention
from somevahti.archive.permissions import PermissionDenied, allowed, require, scope
from somevahti.archive.search import Query, search
from somevahti.archive.verify import verify

from .conftest import post

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture
def history(archive):
    post(archive, "fb:1", "Kirjasto avataan", occurred="2020-01-01T10:00:00Z")
    post(archive, "fb:2", "Uimahalli suljetaan", occurred="2021-06-01T10:00:00Z")
    post(archive, "ig:1", "Talvikuva", account="ig", occurred="2020-01-01T10:00:00Z")
    post(archive, "fb:3", "Uusi julkaisu", occurred="2029-06-01T10:00:00Z")
    return archive


def test_retention_purges_what_is_due_and_keeps_the_chain(history):
    retention.set_rule(history, "kunta", "fb", 5, actor="admin")
    retention.set_rule(history, "kunta", "ig", None, actor="admin")  # permanent
    run = retention.run(history, "kunta", actor="admin", now=NOW)
    assert run.purged == [1, 2]
    assert history.get("kunta", 1).payload is None and history.get("kunta", 3).payload is not None
    assert history.get("kunta", 4).payload is not None
    purge = history.get("kunta", run.purge_records[0])
    assert purge.kind == "purge" and [r["seq"] for r in purge.payload["records"]] == [1, 2]
    assert purge.payload["records"][0]["hash"] == history.get("kunta", 1).hash
    assert not search(history, "kunta", Query(text="kirjasto"))
    report = verify(history, "kunta")
    assert report.ok and report.purged == 2
    assert retention.run(history, "kunta", actor="admin", now=NOW).purged == []


def test_legal_hold_blocks_purging_until_released(history):
    retention.set_rule(history, "kunta", "fb", 5, actor="admin")
    hold = retention.place_hold(
        history, "kunta", actor="admin", reason="valitus hallinto-oikeuteen", text="uimahallin"
    )
    run = retention.run(history, "kunta", actor="admin", now=NOW)
    assert run.held == [2] and run.purged == [1]
    with pytest.raises(Exception, match="legal hold"):
        history.purge("kunta", [2], actor="admin", reason={"reason": "manual"})
    retention.release_hold(
        history, "kunta", hold.payload["hold"], actor="admin", reason="päätös lainvoimainen"
    )
    assert retention.run(history, "kunta", actor="admin", now=NOW).purged == [2]
    kinds = [r.kind for r in history.records("kunta", kinds=["retention", "hold", "hold-release", "purge"])]
    assert kinds == ["retention", "hold", "purge", "hold-release", "purge"]
    assert verify(history, "kunta").ok


def test_account_hold_and_dry_run(history):
    retention.set_rule(history, "kunta", "fb", 5, actor="admin")
    retention.place_hold(history, "kunta", actor="admin", reason="tietopyyntö", accounts=["fb"], hold_id="h1")
    assert retention.active_holds(history, "kunta").keys() == {"h1"}
    assert retention.run(history, "kunta", actor="admin", now=NOW).purged == []
    retention.release_hold(history, "kunta", "h1", actor="admin")
    dry = retention.run(history, "kunta", actor="admin", now=NOW, dry_run=True)
    assert dry.due == [1, 2] and dry.purged == [] and history.get("kunta", 1).payload is not None


def test_inflected_forms_match_base_forms(archive):
    post(archive, "a", "Kirjasto on kiinni.")
    post(archive, "b", "Biblioteket är stängt.", lang="sv")
    post(archive, "c", "Kaupunginvaltuusto kokoontuu.")
    post(archive, "d", "Kirjoitus lehdessä.")
    assert [h.subject for h in search(archive, "kunta", Query(text="kirjastossa"))] == ["a"]
    assert [h.subject for h in search(archive, "kunta", Query(text="bibliotek"))] == ["b"]
    assert [h.subject for h in search(archive, "kunta", Query(text="valtuustolle"))] == ["c"]
    assert search(archive, "kunta", Query(text="uimahalli")) == []


def test_filters(archive):
    post(archive, "p", "Tapahtuma torilla", occurred="2024-05-01T10:00:00Z", unit="kulttuuri")
    archive.append(
        "comment",
        {
            "event": "received",
            "texts": {"fi": "Hieno tapahtuma"},
            "parent": "p",
            "author": {"name": "Maija", "handle": "@maija"},
        },
        org="kunta",
        account="fb",
        subject="p_1",
        occurred="2024-05-02T10:00:00Z",
    )
    archive.append(
        "comment",
        {"event": "received", "texts": {"fi": "Huono tapahtuma"}, "parent": "p", "author": "Pekka"},
        org="kunta",
        account="fb",
        subject="p_2",
        occurred="2024-05-03T10:00:00Z",
    )
    archive.append("moderation", {"action": "hidden"}, org="kunta", account="fb", subject="p_2")
    post(archive, "q", "Tapahtuma Instagramissa", account="ig", occurred="2024-06-01T10:00:00Z", lang="sv")

    def subjects(**kw):
        return sorted({h.subject for h in search(archive, "kunta", Query(text="tapahtuma", **kw))})

    assert subjects() == ["p", "p_1", "p_2", "q"]
    assert subjects(accounts=["ig"]) == ["q"]
    assert subjects(kinds=["comment"]) == ["p_1", "p_2"]
    assert subjects(author="@maija") == ["p_1"]
    assert subjects(state="hidden") == ["p_2"]
    assert subjects(since="2024-05-02", until="2024-05-02") == ["p_1"]
    assert subjects(language="sv") == ["q"]
    assert subjects(unit="kulttuuri") == ["p"]


def test_permissions_follow_the_web_roles():
    assert allowed("communications_admin", "export") and allowed("communications_admin", "hold")
    assert (
        allowed("auditor", "search") and not allowed("auditor", "export") and not allowed("auditor", "hold")
    )
    assert allowed("unit_editor", "search") and not allowed("unit_editor", "export")
    assert not allowed("supervisor", "search") and not allowed("author", "search")
    assert not allowed("it_security", "search") and allowed("it_security", "verify")
    assert not allowed(None, "search") and not allowed(
        "comms_admin", "search"
    )  # the old guessed name is no role
    assert scope("communications_admin") == scope("auditor") == "all" and scope("unit_editor") == "own-unit"
    assert scope("supervisor") is None
    with pytest.raises(PermissionDenied):
        require("unit_editor", "retention")
    require("communications_admin", "retention")
    with pytest.raises(ValueError):
        allowed("communications_admin", "delete")


def test_search_lists_newest_first_whatever_order_records_arrived(archive):
    # a back-fill archives old posts after new ones; two in the same second keep their archive order
    for subject, when in (
        ("n", "2024-06-01T10:00:00Z"),
        ("o", "2019-03-01T10:00:00Z"),
        ("m", "2022-01-01T10:00:00Z"),
        ("m2", "2022-01-01T10:00:00.5Z"),
    ):
        post(archive, subject, "Kirjaston aukioloajat", occurred=when)
    hits = search(archive, "kunta", Query(text="kirjasto"))
    assert [h.subject for h in hits] == ["n", "m2", "m", "o"]
    assert [h.subject for h in search(archive, "kunta", Query())] == ["n", "m2", "m", "o"]
    assert [h.subject for h in search(archive, "kunta", Query(text="kirjasto"), limit=2, offset=1)] == [
        "m2",
        "m",
    ]


def test_search_row_ids_never_collide(archive, monkeypatch):
    from somevahti.archive import api

    monkeypatch.setattr(api, "text_id", lambda org, seq, n, occurred: 1000)  # every text wants the same row
    for i in range(3):
        post(archive, f"c{i}", f"Kommentti {i} kirjastosta")
    assert sorted(h.subject for h in search(archive, "kunta", Query(text="kirjasto"))) == ["c0", "c1", "c2"]

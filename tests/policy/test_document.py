"""The readable policy document: every clause of the pack with its id and text, in the
organisation's own chapters, with what somevahti does beside it, in fi/sv/en and as Markdown,
HTML and PDF, with no template placeholder left unfilled."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pypdf
import pytest

from somevahti.policy import load_pack
from somevahti.policy.clauses import clauses_of
from somevahti.policy.render import build_document, pack_clauses, render_html, render_markdown, render_pdf

PACKS = ["kirkkonummi", "kela", "ranua", "foretaget", "generic"]
SEED_PACKS = ["kirkkonummi", "kela", "ranua", "foretaget"]
LANGS = ["fi", "sv", "en"]
UNFILLED = re.compile(r"\{[a-z_]+\}")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self.skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return " ".join(" ".join(parser.parts).split())


def md_text(markdown: str) -> str:
    return " ".join(re.sub(r"\\(.)", r"\1", markdown).split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", PACKS)
@pytest.mark.parametrize("lang", LANGS)
def test_markdown_and_html_carry_every_clause_with_its_id_and_text(name, lang):
    pack = load_pack(name)
    expected = pack_clauses(pack)
    assert expected, name
    md = md_text(render_markdown(pack, lang))
    page = html_text(render_html(pack, lang))
    for clause in expected:
        for text in (md, page):
            assert clause.id in text
            assert squash(clause.text_in(lang)) in text, f"{clause.id} ({lang})"
    for text in (md, page):
        assert not UNFILLED.findall(text), "a template placeholder was left unfilled"
        for rule in pack.rules:
            assert rule.id in text, f"rule {rule.id} is not shown"


@pytest.mark.parametrize("name", SEED_PACKS)
@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_is_tagged_in_the_document_language_with_contents_bookmarks_and_every_clause(name, lang):
    pack = load_pack(name)
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(pack, lang)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root, "the PDF is tagged"
    assert reader.metadata.title == pack.title.get(lang)
    text = squash(" ".join(page.extract_text() for page in reader.pages))
    for clause in clauses_of(name):
        assert clause.id in text, f"{clause.id} missing from the {lang} PDF"
    doc = build_document(pack, lang)
    contents = doc.labels()["contents"]
    assert contents in text
    # the table of contents gives each chapter a page number
    for chapter in doc.chapters:
        assert re.search(re.escape(squash(chapter.title)[:30]) + r".*?\.{3,}\s*\d+", text), chapter.title

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = list(titles(reader.outline))
    for chapter in doc.chapters:
        assert chapter.title in bookmarks
    assert "KIRK-5.3" in bookmarks if name == "kirkkonummi" else True


def test_the_organisations_own_structure():
    chapters = {name: [c.title.fi for c in load_pack(name).document.chapters] for name in SEED_PACKS}
    assert len(chapters["kirkkonummi"]) == 8
    assert chapters["kirkkonummi"][7] == "Sosiaalinen media ja tietoturvallisuus"
    assert chapters["kela"][:3] == [
        "Kelalainen somessa",
        "Turvallisesti somessa",
        "Viestintäryhmä vastaa ylläpidosta",
    ]
    assert "Opas" in chapters["kela"][3]
    assert {"Yhteiset tilit", "Henkilökohtaiset tilit"} <= set(chapters["ranua"])
    nine = [c.title.sv for c in load_pack("foretaget").document.chapters][1:]
    assert nine == [
        "Transparens och tydlighet",
        "Bidra med kompetens",
        "Ärlighet och ansvarstagande",
        "Artighet och gott omdöme",
        "Respekt för andra",
        "Skydd för affärshemligheter",
        "Respekt för upphovsrätt",
        "Varsamhet med resurser",
        "Samarbete med IT",
    ]


@pytest.mark.parametrize("name", SEED_PACKS)
def test_every_clause_of_the_organisation_sits_in_one_of_its_chapters(name):
    pack = load_pack(name)
    placed = [cid for ch in pack.document.chapters for cid in ch.clauses]
    assert sorted(placed) == sorted(c.id for c in clauses_of(name))
    doc = build_document(pack, "fi")
    assert [ch.id for ch in doc.chapters] == [ch.id for ch in pack.document.chapters], "no leftover chapter"


def test_kirkkonummi_clauses_say_what_somevahti_does():
    doc = build_document(load_pack("kirkkonummi"), "en")
    by_id = {c.id: c for ch in doc.chapters for c in ch.clauses}
    bilingual = by_id["KIRK-5.3"].measures
    assert any(m.kind == "check" and m.name == "kirk-bilingual-facebook" for m in bilingual)
    check = next(m for m in bilingual if m.kind == "check" and m.example)
    assert check.example.post and check.example.message and "{" not in check.example.message
    assert any("level: error" in d for d in check.details)
    assert {m.name for m in by_id["KIRK-8.3"].measures} == {"password-age"}
    assert "180 days" in by_id["KIRK-8.3"].measures[0].text  # the threshold, filled in
    assert any(m.kind == "incident" and "the supervisor" in m.text for m in by_id["KIRK-8.6"].measures)
    assert any(
        m.kind == "queue" and m.name == "respond_negative" and "4 hours" in " ".join(m.details)
        for m in by_id["KIRK-5.12"].measures
    )
    assert by_id["KIRK-4.4"].note and "Guidance" in by_id["KIRK-4.4"].note
    assert by_id["KIRK-3.1"].original and by_id["KIRK-3.1"].original.startswith("Sananvapautta")
    assert by_id["KIRK-8.2"].note and "Not automated" in by_id["KIRK-8.2"].note


def test_the_reader_sees_the_original_wording_only_in_another_language():
    sv = build_document(load_pack("foretaget"), "sv")
    fi = build_document(load_pack("foretaget"), "fi")
    assert all(c.original is None for ch in sv.chapters for c in ch.clauses)
    assert all(c.original for ch in fi.chapters for c in ch.clauses)


def test_html_escapes_pack_content(tmp_path):
    pack_file = tmp_path / "evil.yaml"
    pack_file.write_text(
        "id: evil\nextends: generic\norganisation: {name: '<script>alert(1)</script> Oy'}\n", encoding="utf-8"
    )
    page = render_html(load_pack(str(pack_file)), "fi")
    assert "<script>alert(1)</script>" not in page
    assert html.escape("<script>alert(1)</script>") in page

"""`somevahti policy render`: Markdown on standard output, HTML and PDF into a file."""

from __future__ import annotations

import subprocess
import sys

import pypdf


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "somevahti", "policy", "render", *args], capture_output=True, timeout=300
    )


def test_markdown_goes_to_standard_output():
    out = run("ranua", "--lang", "sv")
    assert out.returncode == 0, out.stderr
    text = out.stdout.decode("utf-8")
    assert text.startswith("# ") and "RANUA-S.1b" in text and "## Gemensamma konton" in text


def test_pdf_and_html_go_into_the_file(tmp_path):
    pdf, page = tmp_path / "foretaget.pdf", tmp_path / "foretaget.html"
    assert run("foretaget", "--format", "pdf", "--lang", "en", "-o", str(pdf)).returncode == 0
    assert run("foretaget", "--format", "html", "-o", str(page)).returncode == 0
    reader = pypdf.PdfReader(str(pdf))
    assert "SF-15" in " ".join(p.extract_text() for p in reader.pages)
    assert page.read_text("utf-8").startswith('<!DOCTYPE html>\n<html lang="fi">')


def test_an_unwritable_file_is_one_line_and_exit_2(tmp_path):
    out = run("kela", "-o", str(tmp_path / "missing" / "kela.md"))
    assert out.returncode == 2
    assert out.stderr.decode().count("\n") == 1 and "kela.md" in out.stderr.decode()

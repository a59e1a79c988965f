"""The policy document page: the organisation's policy in the reader's language, with a PDF, for
everyone in the organisation and nobody else."""

from __future__ import annotations

import io

import pypdf
import pytest

from somevahti.policy import load_pack
from somevahti.policy.clauses import clauses_of
from somevahti.web.api import checking
from somevahti.web.core.models import Role


@pytest.fixture
def pack_in_force(settings):
    """Put a pack in force for one test (the organisation's pack is cached per process)."""

    def use(name):
        settings.SOMEVAHTI = {**settings.SOMEVAHTI, "PACK": name}
        checking.organisation_pack.cache_clear()

    yield use
    checking.organisation_pack.cache_clear()


def _get(client, url, lang):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=lang)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, heading", [("fi", "Yhteiset tilit"), ("sv", "Gemensamma konton"), ("en", "Shared accounts")]
)
def test_every_role_reads_the_policy_in_its_own_language(org, login, pack_in_force, lang, heading):
    pack_in_force("ranua")
    for role in (Role.AUTHOR, Role.AUDITOR, Role.COMMUNICATIONS_ADMIN):
        client = login(org.users[role])
        client.cookies.load({"django_language": lang})
        page = _get(client, "/policy/", lang)
        assert page.status_code == 200
        html = page.content.decode()
        assert f'<article class="policy-document" lang="{lang}">' in html
        assert heading in html
        for clause in clauses_of("ranua"):
            assert clause.id in html
        assert f'href="/policy/{lang}.pdf"' in html


@pytest.mark.django_db
def test_the_pdf_download(org, login, pack_in_force):
    pack_in_force("kela")
    client = login(org.users[Role.AUTHOR])
    response = client.get("/policy/sv.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "kela-" in response["Content-Disposition"] and "-sv.pdf" in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    text = " ".join(p.extract_text() for p in reader.pages)
    assert all(c.id in text for c in clauses_of("kela"))
    assert client.get("/policy/de.pdf").status_code == 404


@pytest.mark.django_db
def test_strangers_do_not_read_it(client, org, django_user_model):
    assert client.get("/policy/").status_code == 302  # to the login page
    outsider = django_user_model.objects.create_user("outsider", "o@example.com", "pw")  # no membership
    client.force_login(outsider)
    assert client.get("/policy/").status_code == 403
    assert client.get("/policy/fi.pdf").status_code == 403


@pytest.mark.django_db
def test_pack_content_is_escaped_on_the_page(org, login, pack_in_force, tmp_path):
    pack = tmp_path / "evil.yaml"
    pack.write_text(
        "id: evil\nextends: generic\norganisation: {name: '<img src=x onerror=alert(1)>'}\n"
        "document: {intro: {fi: '<b>x</b>', sv: '<b>x</b>', en: '<b>x</b>'}}\n",
        encoding="utf-8",
    )
    pack_in_force(str(pack))
    assert load_pack(str(pack)).organisation.name.startswith("<img")
    html = login(org.users[Role.AUTHOR]).get("/policy/").content.decode()
    assert "<img src=x" not in html and "<b>x</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.django_db
def test_the_navigation_links_to_the_policy(org, login):
    html = login(org.users[Role.AUTHOR]).get("/").content.decode()
    assert 'href="/policy/"' in html

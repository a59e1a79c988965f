"""Links: the website link (KIRK-5.4, KIRK-6.2) and links worth a second look (SF-12)."""

import pytest

from somevahti.text.urls import find_ips, find_urls
from tests.helpers import checker_for, doc

VARIANTS = ("website", "shortener", "ip", "http")


def rule(**params):
    return {
        "id": "links",
        "family": "links",
        "severity": "warning",
        "params": params,
        "messages": {v: {"fi": f"{v} fi {{url}}", "sv": f"{v} sv {{url}}", "en": v} for v in VARIANTS},
    }


KIRKKONUMMI = {
    "name": "Kirkkonummen kunta",
    "web_domains": ["kirkkonummi.fi", "kyrkslatt.fi"],
    "website": "https://www.kirkkonummi.fi",
}


@pytest.fixture
def website_rule(tmp_path):
    return checker_for(tmp_path, [rule(require_website=True)], organisation=KIRKKONUMMI)


def variants(checker, **fields):
    return [f.message.split()[0] for f in checker.check(doc(**fields))]


@pytest.mark.parametrize(
    "text",
    [
        "Lue lisää: https://www.kirkkonummi.fi/uutiset/kesa-2025",
        "Lue lisää kirkkonummi.fi/uutiset",
        "Lue lisää www.kirkkonummi.fi.",
        "Läs mer på https://kyrkslatt.fi/nyheter!",
        "Lue lisää (https://kirkkonummi.fi/uutiset).",
    ],
)
def test_a_link_to_the_website_in_any_form_satisfies_the_rule(website_rule, text):
    assert "website" not in variants(website_rule, kind="post", text={"fi": text})


@pytest.mark.parametrize(
    "text",
    [
        "Kesän aukioloajat löytyvät verkkosivuiltamme.",
        "Lue lisää https://www.kirkkonummensanomat.fi/uutiset",  # not the municipality's site
        "Lue lisää https://kirkkonummi.fi.example.com/x",
        "Kysy lisää: info@kirkkonummi.fi",  # an e-mail address is not a link
    ],
)
def test_a_post_without_a_website_link_gets_a_finding_with_the_website(website_rule, text):
    found = website_rule.check(doc(kind="post", text={"fi": text}))
    assert [f.message.split()[0] for f in found] == ["website"]
    assert found[0].suggestion == "https://www.kirkkonummi.fi" and found[0].span is None
    assert found[0].field == "text.fi"


def test_one_link_in_either_language_version_is_enough(website_rule):
    assert variants(website_rule, text={"fi": "Tervetuloa!", "sv": "Välkommen! kyrkslatt.fi/evenemang"}) == []
    assert variants(website_rule, text={"fi": "Tervetuloa!", "sv": "Välkommen!"}) == ["website"]


def test_replies_and_rules_without_require_website_do_not_ask_for_the_link(tmp_path, website_rule):
    assert variants(website_rule, kind="reply", text={"fi": "Kiitos kysymyksestä! t. Maija"}) == []
    plain = checker_for(tmp_path, [rule()], organisation=KIRKKONUMMI)
    assert variants(plain, text={"fi": "Tervetuloa kirjastoon!"}) == []


def test_website_scope_comes_from_the_rules_when(tmp_path):
    facebook_only = checker_for(
        tmp_path,
        [{**rule(require_website=True), "when": {"channels": ["facebook"]}}],
        organisation=KIRKKONUMMI,
    )
    assert variants(facebook_only, channel="facebook", text={"fi": "Tervetuloa!"}) == ["website"]
    assert variants(facebook_only, channel="instagram", text={"fi": "Tervetuloa!"}) == []


def test_website_host_is_taken_from_the_website_when_no_domains_are_listed(tmp_path):
    checker = checker_for(
        tmp_path,
        [rule(require_website=True)],
        organisation={"name": "FÖRETAGET", "website": "https://www.foretaget.se/"},
    )
    assert variants(checker, text={"sv": "Läs mer på foretaget.se/nyheter"}) == []
    assert variants(checker, text={"sv": "Läs mer på vår webbplats."}) == ["website"]


@pytest.fixture
def links(tmp_path):
    return checker_for(tmp_path, [rule()], organisation=KIRKKONUMMI)


@pytest.mark.parametrize(
    "text,url",
    [
        ("Ilmoittaudu: https://bit.ly/3xYzAbc", "https://bit.ly/3xYzAbc"),
        ("Läs mer: tinyurl.com/kyrkslatt", "tinyurl.com/kyrkslatt"),
        ("Katso t.co/AbC123", "t.co/AbC123"),
        ("Lue lnkd.in/eXyZ tai is.gd/abc", "lnkd.in/eXyZ"),
        ("Lue https://www.bit.ly/x", "https://www.bit.ly/x"),
    ],
)
def test_shortened_links_are_flagged_at_the_url(links, text, url):
    found = links.check(doc(text={"fi": text}))
    assert found and found[0].message.startswith("shortener")
    start, end = found[0].span
    assert text[start:end] == url


def test_extra_shorteners_come_from_params(tmp_path):
    checker = checker_for(tmp_path, [rule(shorteners=["kirkko.nu"])], organisation=KIRKKONUMMI)
    assert variants(checker, text={"fi": "Lue https://kirkko.nu/a1"}) == ["shortener"]


@pytest.mark.parametrize(
    "text,url",
    [
        ("Lataa tiedosto http://192.168.10.5/liite.pdf", "http://192.168.10.5/liite.pdf"),
        ("Lataa https://10.0.0.7:8443/admin.", "https://10.0.0.7:8443/admin"),
        ("Palvelin 172.16.0.20/raportit on auki.", "172.16.0.20/raportit"),
        ("Adressen är 192.168.1.1.", "192.168.1.1"),
        ("Se http://[2001:db8::1]/status", "http://[2001:db8::1]/status"),
        ("Osoite on 2001:db8::8a2e:370:7334 sisäverkossa", "2001:db8::8a2e:370:7334"),
    ],
)
def test_bare_ip_addresses_are_flagged_with_or_without_scheme(links, text, url):
    found = links.check(doc(text={"fi": text}))
    assert [f.message.split()[0] for f in found] == ["ip"]
    start, end = found[0].span
    assert text[start:end] == url


@pytest.mark.parametrize(
    "text",
    [
        "Tapahtuma klo 12:30:45 alkaen, päivä 1.2.2025.",
        "Katso luku 1.2.3.4 ohjeesta.",
        "Aukioloajat klo 9.00–16.00, puh. 09 123 4567.",
        "Mötet börjar kl. 18.30 den 12.5.2025.",
        "Versio 3.14 julkaistiin.",
    ],
)
def test_times_dates_and_section_numbers_are_not_ip_addresses(links, text):
    assert variants(links, text={"fi": text}) == []


def test_plain_http_is_flagged_with_the_https_form_and_still_links_home(tmp_path):
    checker = checker_for(tmp_path, [rule(require_website=True)], organisation=KIRKKONUMMI)
    found = checker.check(doc(text={"fi": "Lue lisää http://kirkkonummi.fi/uutiset"}))
    assert [f.message.split()[0] for f in found] == ["http"], "an http link is still a website link"
    assert found[0].suggestion == "https://kirkkonummi.fi/uutiset"
    assert found[0].message == "http fi http://kirkkonummi.fi/uutiset"


def test_messages_follow_the_language_of_the_version(links):
    found = links.check(doc(text={"fi": "Lue https://www.kirkkonummi.fi", "sv": "Läs http://kyrkslatt.fi"}))
    assert [(f.field, f.message) for f in found] == [("text.sv", "http sv http://kyrkslatt.fi")]


@pytest.mark.parametrize(
    "text",
    [
        "Lue lisää https://www.kirkkonummi.fi/uutiset ja https://www.kela.fi/lapsiperheet",
        "Kirjoita meille info@kirkkonummi.fi tai soita.",
        "Kelan sivut: kela.fi/opiskelijat",
        "Mer information: https://www.kyrkslatt.fi/sv/evenemang?id=12#program",
    ],
)
def test_ordinary_https_links_and_email_addresses_pass(links, text):
    assert variants(links, text={"fi": text}) == []


def test_each_check_can_be_switched_off(tmp_path):
    checker = checker_for(
        tmp_path, [rule(flag_shorteners=False, flag_ip=False, flag_http=False)], organisation=KIRKKONUMMI
    )
    assert variants(checker, text={"fi": "http://bit.ly/x http://10.0.0.1/a 10.1.2.3 http://kela.fi"}) == []


def test_a_link_gets_one_finding_the_most_telling(links):
    assert variants(links, text={"fi": "Katso http://bit.ly/abc"}) == ["shortener"]
    assert variants(links, text={"fi": "Katso http://10.1.1.1/abc"}) == ["ip"]


def test_links_in_replies_and_youtube_titles_are_checked_too(links):
    assert variants(links, kind="reply", text={"fi": "Katso bit.ly/abc t. Maija"}) == ["shortener"]
    found = links.check(doc(channel="youtube", title="Video http://example.com", text={"fi": "Kuvaus"}))
    assert [(f.field, f.message.split()[0]) for f in found] == [("title", "http")]


def test_url_finder_handles_bracketed_ipv6_and_paths_on_any_tld():
    assert [u.host for u in find_urls("http://[2001:db8::1]/x ja lnkd.in/abc")] == ["2001:db8::1", "lnkd.in"]
    assert find_urls("http:// ja esim. ja/tai") == []
    assert [u.host for u in find_ips("[fe80::1] ja 10.0.0.1:8080")] == ["fe80::1", "10.0.0.1"]

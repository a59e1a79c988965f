"""Tagging people (RANUA-S.4b, RANUA-P.4): shared-account posts do not tag persons."""

import pytest

from tests.helpers import checker_for, doc


def rule(**params):
    return {
        "id": "tags",
        "family": "mentions",
        "severity": "warning",
        "params": params,
        "messages": {
            v: {"fi": f"{v} @{{handle}}", "sv": f"{v} sv @{{handle}}", "en": v}
            for v in ("self_tag", "person_tag")
        },
    }


@pytest.fixture
def mentions(tmp_path):
    directory = tmp_path / "staff.csv"
    directory.write_text("name,title,email,phone\nLiisa Korhonen,vapaa-aikasihteeri,,\n", encoding="utf-8")
    return checker_for(tmp_path, [rule()], directory=str(directory))


def messages(checker, text, **fields):
    return [f.message for f in checker.check(doc(text=text, **{"account_kind": "shared", **fields}))]


@pytest.mark.parametrize(
    "text,handle",
    [
        ("Kiitos @maija.virtanen upeasta esityksestä!", "@maija.virtanen"),
        ("Onnea @Pekka_Haavisto85!", "@Pekka_Haavisto85"),
        ("Kuvat: @MaijaVirtanen", "@MaijaVirtanen"),
        ("Tack till @anna.svensson för bilderna", "@anna.svensson"),
        ("Kiitos @ahmed.hassan!", "@ahmed.hassan"),
        ("Kuvaaja @maija.virtanen.bsky.social", "@maija.virtanen.bsky.social"),
        ("Haastattelu: @erik_lindqvist@mastodon.social", "@erik_lindqvist@mastodon.social"),
    ],
)
def test_handles_that_read_as_a_persons_name_are_person_tags(mentions, text, handle):
    found = mentions.check(doc(text={"fi": text}, account_kind="shared"))
    assert [f.message for f in found] == [f"person_tag {handle}"]
    start, end = found[0].span
    assert text[start:end] == handle


@pytest.mark.parametrize(
    "text",
    [
        "Tervetuloa! @kirkkonummenkunta @RanuanKunta @ranuan.kunta",
        "Yhteistyössä @kirkkonummen_kirjasto ja @visit.ranua",
        "Lähde @yle_uutiset, @HelsinginSanomat ja @KelaFPA",
        "Katso @kirkkonummi.fi ja @kela.fi",
        "Kiitos @maija!",  # a single name: could be anyone or anything
        "Kiitos @anna.info ja @Toivo_ry",  # organisation markers
        "Kirjoita osoitteeseen maija.virtanen@kirkkonummi.fi",  # an e-mail address, not a tag
        "Tack @kyrkslatt_kommun och @biblioteket",
    ],
)
def test_organisations_units_and_email_addresses_are_not_flagged(mentions, text):
    assert messages(mentions, {"fi": text}) == []


def test_staff_in_the_directory_are_self_tags(mentions):
    assert messages(mentions, {"fi": "Kuvat otti @liisa.korhonen"}) == ["self_tag @liisa.korhonen"]
    assert messages(mentions, {"fi": "Kuvat otti @liisakorhonen2"}) == ["self_tag @liisakorhonen2"]
    assert messages(mentions, {"sv": "Foto: @LiisaKorhonen"}) == ["self_tag sv @LiisaKorhonen"]


def test_personal_and_expert_accounts_and_replies_are_not_checked_by_default(mentions):
    text = {"fi": "Kiitos @maija.virtanen!"}
    assert messages(mentions, text, account_kind="personal") == []
    assert messages(mentions, text, account_kind="expert") == []
    assert messages(mentions, text, kind="reply") == [], "answering someone in public may name them"


def test_account_kinds_param_widens_the_check(tmp_path):
    checker = checker_for(tmp_path, [rule(account_kinds=["shared", "personal"])])
    assert messages(checker, {"fi": "Kiitos @maija.virtanen!"}, account_kind="personal") == [
        "person_tag @maija.virtanen"
    ]

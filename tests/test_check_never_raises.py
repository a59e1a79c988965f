"""Property: checking never raises, whatever the text, channel, account kind or media."""

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from somevahti.check import Checker
from somevahti.document import AccountKind, Channel, PostDocument, PostKind
from somevahti.policy import available_packs, load_pack


@cache
def checker(name: str, ner: bool) -> Checker:
    return Checker(load_pack(name), use_ner=ner)


text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400) | st.sampled_from(
    [
        "",
        " ",
        "\n\n",
        "#",
        "@",
        "http://",
        "klo 18",
        "12.5.–16.5.",
        "kl. 18",
        "010101-123N",
        "+358 40",
        "Maija Virtanen",
        "t. Maija",
        "ÅÄÖ åäö",
        "🇫🇮👨‍👩‍👧",
        "\u200b\u202e",
        "a" * 300,
    ]
)
media = st.builds(
    dict,
    type=st.sampled_from(["image", "video"]),
    alt=st.none() | st.dictionaries(st.sampled_from(["fi", "sv"]), text),
    captions=st.none() | st.booleans(),
    people=st.booleans(),
    consent=st.none() | st.booleans(),
    purpose=st.none() | st.sampled_from(["marketing", "news", "other"]),
    rights=st.none() | st.builds(dict, licence=st.none() | st.sampled_from(["own", "unknown", "CC BY 4.0"])),
)
documents = st.builds(
    dict,
    channel=st.none() | st.sampled_from([c.value for c in Channel]),
    account_kind=st.sampled_from([k.value for k in AccountKind]),
    kind=st.sampled_from([k.value for k in PostKind]),
    text=text | st.dictionaries(st.sampled_from(["fi", "sv", "en", "de"]), text, max_size=3),
    media=st.lists(media, max_size=2),
    pinned=st.booleans(),
    sponsored=st.booleans(),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pack=st.sampled_from(available_packs()), data=documents, ner=st.booleans())
def test_check_never_raises(pack, data, ner):
    findings = checker(pack, ner).check(PostDocument.model_validate(data))
    for f in findings:
        assert f.message and f.clauses
        if f.span is not None:
            assert 0 <= f.span[0] <= f.span[1]

"""The meaning rules on the round-3 blind posts (tests/corpus_blind2/, labelled before the semantic
layer ran on them). Floors a little below the first run's figures (docs/quality.md): the rules
with the semantic layer must keep them, and clean posts must stay (almost) clean."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("meaning_eval", ROOT / "bench" / "meaning_eval.py")
meaning_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(meaning_eval)


def assert_floors(corpus: str, precision: float, recall: float, noisy: int, other: int) -> None:
    """The meaning rules on tests/CORPUS: precision and recall over all of them at least these, at most
    ``noisy`` clean posts with a meaning finding and ``other`` findings of other rules not labelled."""
    out = meaning_eval.evaluate(misses=True, blind=ROOT / "tests" / corpus)
    r = out["languages"]["all"]
    misses = "\n".join(out["misses"])
    assert r["tp"] / (r["tp"] + r["fp"]) >= precision and r["tp"] / (r["tp"] + r["fn"]) >= recall, misses
    assert r["noisy"] <= noisy and out["other"] <= other, misses


def test_meaning_rules_on_the_round_3_blind_posts():
    out = meaning_eval.evaluate(misses=True)
    r = out["languages"]["all"]
    precision = r["tp"] / (r["tp"] + r["fp"])
    recall = r["tp"] / (r["tp"] + r["fn"])
    # first run: tp 24 fp 3 fn 27 (P 0.89, R 0.47); before the semantic layer tp 3 fp 3 fn 48;
    # with round 2 of the examples, summed labels and the whole field: tp 33 fp 3 fn 18 (P 0.92, R 0.65);
    # with round 3 (clauses-3.yaml) and per-rule thresholds: tp 35 fp 3 fn 16 (P 0.92, R 0.69);
    # with round 6 (clauses-4.yaml, scorer C 16, thresholds from three dev sets): tp 36 fp 3 fn 15 (R 0.71)
    assert precision >= 0.88 and recall >= 0.68, "\n".join(out["misses"])
    assert r["noisy"] <= 1, "\n".join(out["misses"])
    assert out["other"] == 0


def test_round_3_blind_posts_are_many_and_a_third_clean():
    import yaml

    posts = [
        p
        for f in sorted((ROOT / "tests" / "corpus_blind2").glob("*.yaml"))
        for p in yaml.safe_load(f.read_text(encoding="utf-8"))
    ]
    assert len(posts) >= 100 and sum(not p["expect"] for p in posts) * 3 >= len(posts)


def test_meaning_rules_on_the_round_4_blind_posts():
    """tests/corpus_blind3/ (103 posts, 44 clean), committed before any code ran on it. One run:
    before (main's code) tp 17 fp 2 fn 42 (P 0.89, R 0.29); after tp 24 fp 2 fn 35 (P 0.92, R 0.41),
    no clean post with a finding; one finding of another rule. Since then a dev set: with round 3 of the
    examples (clauses-3.yaml) and per-rule thresholds tp 36 fp 1 fn 23 (P 0.97, R 0.61); round 6 the same.
    Floors a little below."""
    assert_floors("corpus_blind3", precision=0.9, recall=0.57, noisy=0, other=1)


def test_meaning_rules_on_the_round_5_blind_posts():
    """tests/corpus_blind4/ (137 posts over the four packs, 58 clean), committed before any code ran on
    it. One run each: stop 17's code tp 41 fp 8 fn 39 (P 0.84, R 0.51), 2 clean posts with a finding;
    this session's (clauses-3.yaml, per-rule thresholds) tp 49 fp 12 fn 31 (P 0.80, R 0.61), 4 clean
    posts with a finding; 10 findings of other rules in both, 6 once the personal-data rule read signatures
    as the signature rule does (4 were the signing official's name). Since then a dev set: with round 6
    (clauses-4.yaml, scorer C 16, per-rule thresholds chosen on the three dev sets) tp 58 fp 5 fn 22
    (P 0.92, R 0.72), 1 clean post with a finding. Floors a little below."""
    assert_floors("corpus_blind4", precision=0.88, recall=0.68, noisy=2, other=7)


def test_meaning_rules_on_the_round_6_blind_posts():
    """tests/corpus_blind5/ (133 posts over the four packs, 49 clean), committed before any code ran on
    it. One run each: this stop's code before round 6 of the clause examples tp 54 fp 10 fn 38 (P 0.84,
    R 0.59), 4 clean posts with a finding; with it (clauses-4.yaml, C 16, the new thresholds) tp 54 fp 10
    fn 38 again, 5 clean posts with a finding — the dev sets' gain (corpus_blind4 R 0.61 -> 0.72) did not
    carry over. 1 finding of another rule. Floors a little below."""
    assert_floors("corpus_blind5", precision=0.80, recall=0.55, noisy=6, other=2)


def test_meaning_rules_on_the_round_7_blind_posts():
    """tests/corpus_blind6/ (134 posts over the four packs, 51 clean), committed before any code ran on
    it. One run each: stop 20's code tp 44 fp 7 fn 39 (P 0.86, R 0.53), 4 clean posts with a finding;
    with round 7 (the tone markers of text/tone.py, a field read whole only up to 300 characters,
    ranua-positive at 0.65) tp 51 fp 9 fn 32 (P 0.85, R 0.61), 5 clean posts with a finding; no finding
    of another rule. Floors a little below."""
    assert_floors("corpus_blind6", precision=0.82, recall=0.58, noisy=6, other=1)


def test_meaning_rules_on_the_round_8_blind_posts():
    """tests/corpus_blind7/ (143 posts over the four packs, 46 clean), committed before any code ran on
    it. One run each: this stop's code before tp 38 fp 11 fn 59 (P 0.78, R 0.39), 2 clean posts with a
    finding; with the affiliation statement in more forms (disclosure.*.yaml, written after reading the
    five false findings) 38/6/59; with round 8 of the clause examples (clauses-5.yaml and thresholds,
    never tuned on this set) 37/6/60 (P 0.86, R 0.38). The 24 findings of other rules are the policy's
    own (a reply's signature, the Swedish version, the hashtag, an Instagram image). Floors a little below."""
    assert_floors("corpus_blind7", precision=0.80, recall=0.35, noisy=4, other=26)


def test_meaning_rules_on_the_round_9_blind_posts():
    """tests/corpus_blind8/ (146 posts over the four packs, 50 clean), committed before any code ran on
    it. One run with the full model, this stop's code: tp 46 fp 9 fn 50 (P 0.84, R 0.48), 3 clean posts
    with a finding, no finding of another rule. Then a dev set: with round 9's tone markers (written
    after reading its tone misses) tp 58 fp 9 fn 38 (P 0.87, R 0.60), tone 16 of 18. Floors a little
    below."""
    assert_floors("corpus_blind8", precision=0.83, recall=0.56, noisy=4, other=1)


def test_tone_rules_on_the_round_10_blind_replies():
    """tests/corpus_blind9/ (60 replies and posts for the three tone rules, 30 polite near-misses),
    committed before any code ran on it, written to vary the form of condescension widely. One run
    each: before round 9's tone markers tp 4 fp 1 fn 26 (P 0.80, R 0.13), 1 clean post with a finding;
    with them tp 5 fp 2 fn 25, 2 (a reassuring "Don't worry, it's not hard!" read as belittling); with
    that marker taken out again tp 5 fp 1 fn 25 (P 0.83, R 0.17), 1. 2 findings of other rules. Floors a
    little below."""
    assert_floors("corpus_blind9", precision=0.7, recall=0.13, noisy=2, other=2)

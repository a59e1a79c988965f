"""The meaning rules on the round-3 blind posts (tests/corpus_blind2/, labelled before the semantic
layer ran on them). Floors a little below the first run's figures (docs/quality.md): the rules
with the semantic layer must keep them, and clean posts must stay (almost) clean."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("meaning_eval", ROOT / "bench" / "meaning_eval.py")
meaning_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(meaning_eval)


def test_meaning_rules_on_the_round_3_blind_posts():
    out = meaning_eval.evaluate(misses=True)
    r = out["languages"]["all"]
    precision = r["tp"] / (r["tp"] + r["fp"])
    recall = r["tp"] / (r["tp"] + r["fn"])
    # first run: tp 24 fp 3 fn 27 (P 0.89, R 0.47); before the semantic layer tp 3 fp 3 fn 48
    assert precision >= 0.85 and recall >= 0.42, "\n".join(out["misses"])
    assert r["noisy"] <= 1, "\n".join(out["misses"])
    assert out["other"] == 0


def test_round_3_blind_posts_are_many_and_a_third_clean():
    import yaml

    posts = [p for f in sorted((ROOT / "tests" / "corpus_blind2").glob("*.yaml"))
             for p in yaml.safe_load(f.read_text(encoding="utf-8"))]
    assert len(posts) >= 100 and sum(not p["expect"] for p in posts) * 3 >= len(posts)

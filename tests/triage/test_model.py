import numpy as np

from somevahti.policy import load_pack
from somevahti.triage import Comment, Triager, model


def test_training_script_is_reproducible(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "train_triage", Path(__file__).resolve().parents[2] / "scripts" / "train_triage.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for name in ("a.npz", "b.npz"):
        assert script.main(["--limit", "150", "--out", str(tmp_path / name)]) == 0
    a, b = model.Model.load(tmp_path / "a.npz"), model.Model.load(tmp_path / "b.npz")
    assert np.array_equal(a.coef, b.coef) and np.array_equal(a.dense_only, b.dense_only)
    assert np.abs(a.coef).sum() > 0


def test_annotations_read_with_their_header_and_labels():
    rows = model.read_annotations()
    assert len(rows) > 1000
    assert {r.label for r in rows} == set(model.LABELS)
    assert sum(r.positive for r in rows if r.label == "threat") >= 10
    neutral = model.read_neutral()
    assert {r.lang for r in neutral} == {"fi", "sv", "en"} and not any(r.positive for r in neutral)


def test_labels_for_obvious_cases(small_model):
    tr = Triager(load_pack("generic"), model=small_model, ui="en")
    insult, plain = tr.triage(
        [
            Comment(1, "Olet vitun idiootti ja saatanan paska."),
            Comment(2, "Kirjasto on auki arkisin yhdeksästä kahdeksaan."),
        ]
    )
    assert {"obscene", "insult"} <= set(insult.labels) and insult.category == "remove"
    assert plain.labels == [] and plain.category == "ignore"
    assert insult.scores["obscene"] > plain.scores["obscene"]

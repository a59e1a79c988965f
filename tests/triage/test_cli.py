import json

from somevahti.cli import main


def run(capsys, argv, stdin=None, monkeypatch=None):
    if stdin is not None:
        import io
        import sys

        monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
        )
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lines_in_input_order_with_the_documented_shape(tmp_path, capsys):
    f = tmp_path / "comments.jsonl"
    f.write_text(
        "\n".join(
            json.dumps(x, ensure_ascii=False)
            for x in [
                {"id": "c3", "text": "Tapan sinut kun näen sinut."},
                {
                    "id": "c1",
                    "text": "Milloin kirjasto aukeaa?",
                    "language": "fi",
                    "author": "Maija",
                    "channel": "facebook",
                },
                {"id": "c2", "text": "Tack för en fin dag!"},
            ]
        ),
        encoding="utf-8",
    )
    code, out, _ = run(capsys, ["triage", "--format", "json", str(f)])
    assert code == 0
    results = json.loads(out)["results"]
    assert [r["id"] for r in results] == ["c3", "c1", "c2"]
    assert [r["category"] for r in results] == ["escalate_threat", "respond_question", "acknowledge"]
    for r in results:
        assert set(r) >= {"id", "category", "labels", "scores", "clauses", "reasons", "language"}
        assert set(r["scores"]) == {
            "toxicity",
            "severe_toxicity",
            "obscene",
            "threat",
            "insult",
            "identity_attack",
        }
        assert all(0 <= s <= 1 for s in r["scores"].values())
        for reason in r["reasons"]:
            assert set(reason) == {"rule", "span", "message"}
    assert "threat" in results[0]["labels"]
    assert results[0]["reasons"][0]["span"] == [0, 5]
    assert results[2]["language"] == "sv"


def test_clauses_follow_the_packs_organisation(tmp_path, capsys):
    f = tmp_path / "c.txt"
    f.write_text("Tapan sinut kun näen sinut.\n", encoding="utf-8")
    pack = tmp_path / "kela.yaml"
    pack.write_text(
        "id: kela-test\nclauses_of: kela\norganisation: {name: Kela, web_domains: [kela.fi]}\nrules: []\n",
        encoding="utf-8",
    )
    _, out, _ = run(capsys, ["triage", "--format", "json", str(f)])
    generic = json.loads(out)["results"][0]["clauses"]
    assert {"KIRK-8.6", "KELA-2.4"} <= set(generic)
    code, out, err = run(capsys, ["triage", "--policy", str(pack), "--format", "json", str(f)])
    assert code == 0, err
    assert json.loads(out)["results"][0]["clauses"] == ["KELA-2.4"]


def test_plain_text_lines_from_stdin_get_line_numbers(capsys, monkeypatch):
    code, out, _ = run(
        capsys, ["triage", "--format", "json", "-"], "Kiitos!\n\nMilloin kirjasto aukeaa?\n", monkeypatch
    )
    assert code == 0
    results = json.loads(out)["results"]
    assert [(r["id"], r["category"]) for r in results] == [(1, "acknowledge"), (3, "respond_question")]


def test_text_output_names_the_category_in_the_users_language(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SOMEVAHTI_LANG", "sv")
    f = tmp_path / "c.txt"
    f.write_text("Milloin kirjasto aukeaa?\n", encoding="utf-8")
    code, out, _ = run(capsys, ["triage", str(f)])
    assert code == 0
    assert "svara på frågan" in out and "Fråga:" in out


def test_unreadable_input_exits_2_and_the_rest_is_triaged(tmp_path, capsys):
    good = tmp_path / "good.jsonl"
    good.write_text(
        '{"id": 1, "text": "Kiitos!"}\nnot json\n{"id": 3}\n{"id": 4, "text": "Moi"}\n', encoding="utf-8"
    )
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    code, out, err = run(
        capsys, ["triage", "--format", "json", str(tmp_path / "missing.txt"), str(binary), str(good)]
    )
    assert code == 2
    assert [r["id"] for r in json.loads(out)["results"]] == [1, 4]
    lines = err.strip().splitlines()
    assert any("missing.txt" in x and "cannot be read" in x for x in lines)
    assert any("bad.txt" in x and "UTF-8" in x for x in lines)
    assert any("good.jsonl:2" in x for x in lines) and any("good.jsonl:3" in x for x in lines)
    assert "Traceback" not in err

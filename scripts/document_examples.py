"""Pick, for each rule of a built-in pack, an example from its labelled corpus (tests/corpus/PACK.yaml)
and print it as the pack's ``document.examples`` section: the post, and the variant and values the
rule reports on it (these fill the rule's message in the policy document).

    .venv/bin/python scripts/document_examples.py kirkkonummi > /tmp/examples.yaml

Prefer posts that only this rule flags, then the shortest. tests/policy/test_examples.py checks
that every example in a pack still makes its rule report exactly that.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from somevahti.check import CheckContext, Checker
from somevahti.document import PostDocument
from somevahti.policy import load_pack

ROOT = Path(__file__).resolve().parent.parent


def first_hit(checker: Checker, rule_id: str, doc: PostDocument):
    ctx = CheckContext(doc, checker.pack, checker.directory, checker.use_ner)
    for rule in checker.rules:
        if rule.spec.id == rule_id and rule.spec.when.matches(doc.channel, doc.account_kind, doc.kind):
            for hit in rule.check(ctx):
                return hit
    return None


def main(name: str) -> int:
    pack = load_pack(name)
    checker = Checker(pack)
    items = yaml.safe_load((ROOT / "tests" / "corpus" / f"{name}.yaml").read_text("utf-8"))
    out = {}
    for spec in pack.rules:
        cands = [it for it in items if spec.id in (it.get("expect") or [])]
        cands.sort(key=lambda it: (len(it["expect"]) > 1, len(yaml.safe_dump(it, allow_unicode=True))))
        for it in cands:
            post = {k: v for k, v in it.items() if k not in ("id", "expect")}
            hit = first_hit(checker, spec.id, PostDocument.model_validate(post))
            if hit is not None:
                entry = {"post": post}
                if hit.variant:
                    entry["variant"] = hit.variant
                if hit.data:
                    entry["data"] = {k: str(v) for k, v in hit.data.items()}
                out[spec.id] = entry
                break
        else:
            print(f"# no corpus example for {spec.id}", file=sys.stderr)
    yaml.safe_dump({"examples": out}, sys.stdout, allow_unicode=True, sort_keys=False, width=110)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""Refresh src/somevahti/policy/clauses.yaml from shared/policy-clauses.md (the clause contract).

Keeps the Finnish and Swedish wording already written in clauses.yaml; adds new clauses
and updates kinds and English paraphrases. Usage: python scripts/import_clauses.py ../shared/policy-clauses.md
"""

import re
import sys
from pathlib import Path

import yaml

TARGET = Path(__file__).resolve().parent.parent / "src/somevahti/policy/clauses.yaml"
ROW = re.compile(r"^\|\s*([A-Z]+-[0-9A-Za-z.]+)\s*\|\s*(\w+)\s*\|\s*(.+?)\s*\|\s*$")
HEADING = re.compile(r"^## (\w+)")


def main(source: str) -> None:
    old = {}
    if TARGET.exists():
        old = {c["id"]: c for c in yaml.safe_load(TARGET.read_text(encoding="utf-8"))["clauses"]}
    clauses, org = [], None
    for line in Path(source).read_text(encoding="utf-8").splitlines():
        if m := HEADING.match(line):
            org = m.group(1)
        elif (m := ROW.match(line)) and org:
            cid, kind, text = m.groups()
            entry = {"id": cid, "organisation": org, "kind": kind, "text": {"en": text}}
            prev = old.get(cid, {}).get("text", {})
            for lang in ("fi", "sv"):
                if lang in prev:
                    entry["text"][lang] = prev[lang]
            clauses.append(entry)
    doc = {"source": "shared/policy-clauses.md", "clauses": clauses}
    TARGET.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    print(f"{len(clauses)} clauses written to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])

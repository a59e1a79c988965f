"""The tone rules with the form markers of text/tone.py as one more signal, measured leave-one-set-out.

    python bench/tone_eval.py [--cache FILE] [--sets corpus_blind2,corpus_blind3,corpus_blind4,corpus_blind5]

Uses bench/meaning_sweep.py's recording (the packs run once with the semantic layer recording which
rule asked about which parts of which field). For the tone rules (semantic label ``tone``) a part's
score is its tone probability plus ``bonus`` when the part carries a tone marker (``--per-kind``: per
distinct kind of marker); the rule fires when the score reaches its threshold, as rules/meaning.py
does. Prints per bonus the tone rules' tp/fp/fn and the clean posts with a meaning finding on each
dev set, whether the older corpora's tests (tests/test_corpus*.py) would pass, and the bonus chosen
on three sets (most tone tp - 2 fp with the older corpora passing; ties: the smaller bonus) counted on
the fourth. Written for somevahti, CC0-1.0.
"""

from __future__ import annotations

import argparse
import importlib.util
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import meaning_sweep as sweep  # noqa: E402
from somevahti.rules import meaning  # noqa: E402
from somevahti.text import tone  # noqa: E402

TONE_RULES = ("kela-manners", "kirk-tone", "foretaget-tone")
BONUSES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def supported(recorded, sets) -> frozenset[int]:
    """The markers that match a tone example of the clauses (semantic_examples/clauses*.yaml) or a tone
    post of ``sets``: the ones a writer of markers could have found without the other sets."""
    from somevahti.text import semantic

    texts = [e.text for e in semantic.read_examples("clauses") if e.label == "tone"]
    texts += [
        t
        for name, _p, post, _f, calls in recorded
        if name in sets
        for r, _l, _t, parts in calls
        if r in post["expect"] and r in TONE_RULES
        for t in parts
    ]
    return frozenset(m.pattern for t in texts for m in tone.markers(t))


def scores(recorded, bonus: float, per_kind: bool = False, allowed=None) -> dict:
    """sweep.probabilities' table with the tone parts' scores raised by the markers."""
    best = sweep.probabilities(recorded)
    texts = {
        t for *_, calls in recorded for _r, labels, _t, parts in calls if labels == ("tone",) for t in parts
    }
    p = dict(zip(sorted(texts), meaning.scorer().score(sorted(texts)), strict=True))
    for *_, calls in recorded:
        for _r, labels, _t, parts in calls:
            if labels != ("tone",):
                continue
            out = 0.0
            for t in parts:
                kinds = {m.kind for m in tone.markers(t, allowed)}
                raise_ = bonus * (len(kinds) if per_kind else bool(kinds))
                out = max(out, p[t].probabilities.get("tone", 0.0) + raise_)
            best[(labels, parts)] = out
    return best


def figures(recorded, best, sets) -> dict:
    rows, noisy = sweep.outcome(recorded, best)
    out = {}
    for n in sets:
        per = {r: rows[(n, r)] for r in TONE_RULES}
        tot = {k: sum(v[k] for v in per.values()) for k in ("tp", "fp", "fn")}
        allm = {k: sum(v[k] for (m, _r), v in rows.items() if m == n) for k in ("tp", "fp", "fn")}
        out[n] = {"rules": per, "tone": tot, "all": allm, "clean": len(noisy[n]), "noisy": noisy[n]}
    return out


def main() -> int:
    spec = importlib.util.spec_from_file_location("bench_meaning", ROOT / "bench" / "meaning_eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    sys.modules["bench_meaning"] = mod
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/somevahti-tone-rec.pkl"))
    ap.add_argument("--sets", default="corpus_blind2,corpus_blind3,corpus_blind4,corpus_blind5")
    ap.add_argument("--per-kind", action="store_true")
    ap.add_argument("--show", type=float, help="list the tone posts and clean findings at this bonus")
    args = ap.parse_args()
    sets = tuple(args.sets.split(","))
    sweep.SPAN_CACHE = args.cache.with_suffix(".spans.pkl")
    if args.cache.exists():
        recorded = pickle.loads(args.cache.read_bytes())
    else:
        recorded = sweep.record(sweep.OLD + sets)
        args.cache.write_bytes(pickle.dumps(recorded))
    table = {}
    for b in BONUSES:
        best = scores(recorded, b, args.per_kind)
        table[b] = (figures(recorded, best, sets), sweep.old_tests(recorded, best))
        f, fails = table[b]
        cells = " | ".join(
            f"{n[-7:]} {f[n]['tone']['tp']}/{f[n]['tone']['fp']}/{f[n]['tone']['fn']} c{f[n]['clean']}"
            for n in sets
        )
        print(f"bonus {b:.1f}: tone tp/fp/fn, clean posts with a finding: {cells}  old: {len(fails)} fails")
        for x in fails:
            print("    ", x)
    print("leave one set out (bonus chosen on the other sets):")
    held = {"tp": 0, "fp": 0, "fn": 0, "clean": 0}
    for h in sets:
        train = [n for n in sets if n != h]
        ok = [b for b in BONUSES if not table[b][1]]
        chosen = max(
            ok,
            key=lambda b: (
                sum(table[b][0][n]["tone"]["tp"] - 2 * table[b][0][n]["tone"]["fp"] for n in train)
                - 2 * sum(table[b][0][n]["clean"] for n in train),
                -b,
            ),
        )
        f = table[chosen][0][h]
        base = table[0.0][0][h]
        for k in ("tp", "fp", "fn"):
            held[k] += f["tone"][k]
        held["clean"] += f["clean"]
        per = ", ".join(
            f"{r} {base['rules'][r]['tp']}/{base['rules'][r]['fp']}/{base['rules'][r]['fn']} -> "
            f"{f['rules'][r]['tp']}/{f['rules'][r]['fp']}/{f['rules'][r]['fn']}"
            for r in TONE_RULES
        )
        print(
            f"  {h}: bonus {chosen:.1f}; tone {base['tone']} -> {f['tone']}; clean with a finding "
            f"{base['clean']} -> {f['clean']}; all meaning {base['all']} -> {f['all']}\n    {per}"
        )
    print(f"  held out total: {held}")
    print("leave one set out for the markers too (only markers matching a tone example or a tone post")
    print("of the other three sets; the bonus chosen on those three with those markers):")
    held = {"tp": 0, "fp": 0, "fn": 0, "clean": 0}
    for h in sets:
        train = [n for n in sets if n != h]
        allowed = supported(recorded, train)
        sub = {}
        for b in BONUSES:
            best = scores(recorded, b, args.per_kind, allowed)
            sub[b] = (figures(recorded, best, sets), sweep.old_tests(recorded, best))
        ok = [b for b in BONUSES if not sub[b][1]]
        chosen = max(
            ok,
            key=lambda b: (
                sum(sub[b][0][n]["tone"]["tp"] - 2 * sub[b][0][n]["tone"]["fp"] for n in train)
                - 2 * sum(sub[b][0][n]["clean"] for n in train),
                -b,
            ),
        )
        f, base = sub[chosen][0][h], sub[0.0][0][h]
        for k in ("tp", "fp", "fn"):
            held[k] += f["tone"][k]
        held["clean"] += f["clean"]
        per = ", ".join(
            f"{r} {base['rules'][r]['tp']}/{base['rules'][r]['fp']}/{base['rules'][r]['fn']} -> "
            f"{f['rules'][r]['tp']}/{f['rules'][r]['fp']}/{f['rules'][r]['fn']}"
            for r in TONE_RULES
        )
        print(
            f"  {h}: {len(allowed)}/{len(tone.patterns())} markers, bonus {chosen:.1f}; "
            f"tone {base['tone']} -> {f['tone']}; clean with a finding {base['clean']} -> {f['clean']}; "
            f"all meaning {base['all']} -> {f['all']}\n    {per}"
        )
    print(f"  held out total: {held}")
    if args.show is not None:
        best = scores(recorded, args.show, args.per_kind)
        for name, _pack, post, _fired, calls in recorded:
            for r, labels, thr, parts in calls:
                if r in TONE_RULES and (
                    r in post["expect"] or not post["expect"] or best[(labels, parts)] >= thr
                ):
                    hit = best[(labels, parts)] >= thr
                    exp = r in post["expect"]
                    if hit != exp or exp:
                        ms = [m.text for t in parts for m in tone.markers(t)]
                        print(
                            f"  {'HIT' if hit else '   '} {'exp' if exp else '   '} {name[-7:]} {r} "
                            f"{best[(labels, parts)]:.2f} {post['id']} {sorted(set(ms))}"
                        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

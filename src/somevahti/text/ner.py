"""Named-entity recognition for Finnish through Presidio's spaCy NLP engine, loaded once per process.

The Finnish model is the PyPI package ``spacy-fi-experimental-web-md`` (MIT; trained on UD
Finnish-TDT and TurkuONE, CC BY-SA 4.0). Only its ``ner`` component runs: it has its own
token-to-vector layer, so the tagger, parser, morphologizer and lemmatizer are not loaded, which
makes a post about three times cheaper than the full pipeline. The model itself is loaded lazily,
the first time a Finnish text needs NER; checks without NER never load it.

Tokens for Presidio's context words come from spaCy's blank tokenizers (fi, sv, en), and a token's
"lemma" is its lower-cased form: Presidio matches context words as substrings, so context stems
such as ``henkilötunnu`` find ``henkilötunnukseni`` without a lemmatizer.

``looks_like_person`` and ``name_pairs`` decide cheaply, from Voikko's word classes, whether a
text could name a person at all, so NER runs only where it can find something.
"""

from __future__ import annotations

import re
import threading
from functools import cache

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.language import Language
from spacy.tokens import Doc

from somevahti.text import finnish, swedish
from somevahti.text.tokens import Token, tokenize

MODEL = "spacy_fi_experimental_web_md"
LANGUAGES = ("fi", "sv", "en")
NAME_CLASSES = frozenset({"etunimi", "sukunimi"})
# The model's components besides ``ner``; its NER carries its own tok2vec, so none of these is needed.
NOT_NEEDED = ("tok2vec", "tagger", "morphologizer", "parser", "attribute_ruler", "lemmatizer")
_LOCK = threading.Lock()


class PostNlpEngine(SpacyNlpEngine):
    """Presidio NLP engine: blank tokenizers for every language, the Finnish NER on request.

    ``process_text(text, lang)`` never runs a model; ``process_text(text, "fi", ner=True)`` runs
    the Finnish NER and returns its PERSON entities.
    """

    def __init__(self):
        super().__init__(
            models=[{"lang_code": "fi", "model_name": MODEL}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping={"PERSON": "PERSON", "PER": "PERSON"},
                labels_to_ignore=[
                    "CARDINAL",
                    "DATE",
                    "EVENT",
                    "FAC",
                    "GPE",
                    "LANGUAGE",
                    "LAW",
                    "LOC",
                    "MONEY",
                    "NORP",
                    "ORDINAL",
                    "ORG",
                    "PERCENT",
                    "PRODUCT",
                    "QUANTITY",
                    "TIME",
                    "WORK_OF_ART",
                ],
            ),
        )
        self._ner: Language | None = None

    def load(self) -> None:
        self.nlp = {lang: spacy.blank(lang) for lang in LANGUAGES}

    def ner_model(self) -> Language:
        if self._ner is None:
            with _LOCK:
                if self._ner is None:
                    self._ner = spacy.load(MODEL, exclude=list(NOT_NEEDED))
        return self._ner

    def process_text(self, text: str, language: str, ner: bool = False) -> NlpArtifacts:
        if ner and language == "fi":
            doc = self.ner_model()(text)
        else:
            doc = self.nlp[language if language in self.nlp else "fi"].make_doc(text)
        return self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        entities, scores = self._get_updated_entities(
            list(doc.ents), [self.ner_model_configuration.default_score] * len(doc.ents)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[t.idx for t in doc],
            lemmas=[t.lower_ for t in doc],
            nlp_engine=self,
            language=language if language in self.nlp else "fi",
            scores=scores,
        )


@cache
def engine() -> PostNlpEngine:
    eng = PostNlpEngine()
    eng.load()
    return eng


def _capitalised(tok: Token) -> bool:
    return tok.text[:1].isupper() and not tok.text.isupper()


def _classes(word: str) -> frozenset[str]:
    return frozenset(a.word_class for a in finnish.analyse(word))


def is_name_word(word: str, lang: str) -> bool:
    """Could this capitalised word be part of a person's name?

    Finnish: Voikko calls it a first name or surname, or does not know it at all. Swedish and
    other languages: Voikko knows it as a first or last name (its lexicon holds the Swedish names
    common in Finland) or neither Voikko nor hunspell knows the word in lower case.
    """
    classes = _classes(word)
    if classes & NAME_CLASSES:
        return True
    if lang == "fi":
        return not classes
    return not classes and not swedish.spell(word.lower())


def name_pairs(text: str, lang: str) -> list[tuple[Token, Token]]:
    """Adjacent capitalised words, not hashtags or handles, at least one of which could be a name."""
    toks = [t for t in tokenize(text) if t.is_word]
    out = []
    for a, b in zip(toks, toks[1:], strict=False):
        if not (_capitalised(a) and _capitalised(b)):
            continue
        if text[a.end : b.start] not in (" ", "\u00a0") or (a.start and text[a.start - 1] in "#@"):
            continue
        if is_name_word(a.text, lang) or is_name_word(b.text, lang):
            out.append((a, b))
    return out


_PAIR_HINT = re.compile(r"\b[A-ZÅÄÖÜÉ][\w'’-]*[ \u00a0][A-ZÅÄÖÜÉ]")


def looks_like_person(text: str, lang: str) -> bool:
    """Cheap gate before NER: is there a pair of capitalised words that could be a full name?"""
    return bool(_PAIR_HINT.search(text)) and bool(name_pairs(text, lang))


def name_forms(name: str) -> set[str]:
    """The name as written and with each word in its base form ("Maija Virtasen" → "Maija Virtanen")."""
    forms = {name}
    words = name.split()
    bases: list[list[str]] = []
    for i, w in enumerate(words):
        analyses = finnish.analyse(w)
        found = [a.baseform for a in analyses if a.word_class in NAME_CLASSES | {"paikannimi", "nimi"}]
        if i == len(words) - 1 and i and not found:
            # Many Finnish surnames are common words and inflect like them: "Keskitalolle" is
            # keskitalo to Voikko, and the directory's "Marja Keskitalo" must still be recognised.
            found = [a.baseform for a in analyses if a.word_class == "nimisana"]
        bases.append([w] + [b.capitalize() for b in found])
    combos = [[]]
    for options in bases:
        combos = [c + [o] for c in combos for o in dict.fromkeys(options)][:16]
    forms |= {" ".join(c) for c in combos}
    return forms

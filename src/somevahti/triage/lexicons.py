"""The triage lexicons (``triage/lexicons/<topic>.<lang>.yaml``) and one matcher per language."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from somevahti.errors import PackError
from somevahti.text.lexicon import Lexicon, Matcher, parse_lexicon

DIR = Path(__file__).with_name("lexicons")
LANGUAGES = ("fi", "sv", "en")


@cache
def lexicons(lang: str) -> tuple[Lexicon, ...]:
    out = []
    for path in sorted(DIR.glob(f"*.{lang}.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise PackError(f"{path}: malformed YAML: {e}") from None
        out.append(parse_lexicon(data, path.name.split(".")[0], str(path)))
    return tuple(out)


@cache
def matcher(lang: str) -> Matcher:
    """The matcher over every triage lexicon of ``lang`` (fi, sv or en; others use English)."""
    lang = lang if lang in LANGUAGES else "en"
    return Matcher(list(lexicons(lang)), lang)

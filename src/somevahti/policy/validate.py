"""``policy validate``: everything ``check`` would later reject or crash on, found before a post is checked.

:func:`check_messages` runs on every load (cheap); :func:`validate_pack` additionally builds every
rule (compiling lexicon patterns, loading lexicon files and Voikko/hunspell data), reads the
directory CSV and every lexicon the pack declares, so a pack that validates can be used by ``check``.
"""

from __future__ import annotations

import string

from somevahti.errors import PackError, SomevahtiError

# Every name a rule family puts into a finding's message (``Hit.data``). A message that names
# anything else would show the braces to the reader. Keep in step with ``rules/*.py``
# (tests/robustness/test_pack_validate.py compares this with the families' source).
PLACEHOLDERS = frozenset(
    {
        "category",
        "channel",
        "claimed",
        "count",
        "date",
        "days",
        "description",
        "detected",
        "entity",
        "handle",
        "hashtags",
        "index",
        "item",
        "lang",
        "length",
        "limit",
        "org",
        "other",
        "suggestions",
        "term",
        "text",
        "type",
        "unit",
        "url",
        "website",
        "word",
    }
)


def placeholder_problem(template: str) -> str | None:
    """Why ``template`` cannot be formatted with a finding's data, or None."""
    try:
        fields = [f for _, f, spec, conv in string.Formatter().parse(template) if f is not None]
    except ValueError as e:
        return f"{e} (write a literal brace as {{{{ or }}}})"
    for name in fields:
        if not name or name.isdigit():
            return "a placeholder needs a name such as {text}"
        if not name.isidentifier():
            return f"placeholder {{{name}}}: only plain names such as {{text}}"
        if name not in PLACEHOLDERS:
            return f"unknown placeholder {{{name}}} (known: {', '.join(sorted(PLACEHOLDERS))})"
    return None


def check_messages(pack, where) -> None:
    """Every rule message in every language; ``where(loc)`` gives ``file:line`` for a field path."""
    for i, rule in enumerate(pack.rules):
        variants = [("message", rule.message)] + [(f"messages.{k}", m) for k, m in rule.messages.items()]
        for key, localised in variants:
            for lang in ("fi", "sv", "en"):
                problem = placeholder_problem(getattr(localised, lang))
                if problem:
                    loc = ("rules", i, *key.split("."), lang)
                    raise PackError(f"{where(loc)}: rules[{i}].{key}.{lang}: {problem}")


def validate_pack(pack, source: str = "pack") -> None:
    """Raise PackError for anything that would stop ``check``; the message starts with ``source``."""
    try:
        _build_everything(pack)
    except SomevahtiError as e:
        raise PackError(f"{source}: {e}") from None


def _build_everything(pack) -> None:
    from somevahti.policy.directory import directory_for
    from somevahti.rules import get_family
    from somevahti.text.lexicon import load_lexicon

    directory_for(pack)
    for name in pack.lexicons:
        try:
            load_lexicon(name, pack)
        except SomevahtiError as e:
            text = str(e)
            raise PackError(
                text if text.startswith(f"lexicons.{name}") else f"lexicons.{name}: {text}"
            ) from None
    for i, spec in enumerate(pack.rules):
        if not spec.enabled:
            continue
        try:
            get_family(spec.family)(spec, pack)
        except SomevahtiError as e:
            raise PackError(f"rules[{i}] ({spec.id}): {e}") from None
        except Exception as e:  # noqa: BLE001 - a family that cannot be built is the pack's problem to fix
            raise PackError(f"rules[{i}] ({spec.id}): cannot be prepared: {type(e).__name__}: {e}") from None

"""Rule families: one module per family, registered by name (like Vale's rule types).

A pack's rule names its family; the family is the code, the rule's ``params`` are the data.
Add a family by writing a module here with a class decorated by ``@register``, or in another
package declared as a ``somevahti.rules`` entry point (``somevahti.plugins``).
"""

from __future__ import annotations

import importlib
import pkgutil

from somevahti.rules.base import RuleFamily

_REGISTRY: dict[str, type[RuleFamily]] = {}
_loaded = False


def register(cls: type[RuleFamily]) -> type[RuleFamily]:
    if not getattr(cls, "name", None):
        raise TypeError(f"{cls.__name__} needs a 'name'")
    if cls.name in _REGISTRY and _REGISTRY[cls.name].__qualname__ != cls.__qualname__:
        raise ValueError(f"rule family {cls.name!r} registered twice")
    _REGISTRY[cls.name] = cls
    return cls


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    from somevahti import plugins

    for mod in pkgutil.iter_modules(__path__):
        if mod.name not in {"base"}:
            importlib.import_module(f"{__name__}.{mod.name}")
    plugins.load("somevahti.rules", register)
    _loaded = True


def get_family(name: str) -> type[RuleFamily]:
    _load_all()
    return _REGISTRY[name]


def family_names() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)

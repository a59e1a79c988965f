"""The interface every rule family implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict

from somevahti.findings import Hit

if TYPE_CHECKING:
    from somevahti.check import CheckContext
    from somevahti.policy.schema import Pack, RuleSpec


class Params(BaseModel):
    """Parameters a family takes from the rule's ``params:``; families subclass this."""

    model_config = ConfigDict(extra="forbid")


class RuleFamily:
    """One kind of rule. Built once per rule per pack; ``check`` runs per document.

    Subclasses set ``name`` (what packs call the family) and ``Params`` and implement ``check``,
    yielding :class:`Hit` objects; the engine turns them into findings with the rule's
    severity, clauses and localised message. Expensive resources (models, dictionaries) are
    loaded once per process through ``somevahti.text``, never per post.
    """

    name: ClassVar[str] = ""
    Params: ClassVar[type[Params]] = Params
    uses_ner: ClassVar[bool] = False

    def __init__(self, spec: RuleSpec, pack: Pack):
        self.spec = spec
        self.pack = pack
        self.params = self.Params.model_validate(spec.params)
        self.setup()

    def setup(self) -> None:
        """Prepare data from params and pack (compile patterns, load lexicons)."""

    def check(self, ctx: CheckContext) -> Iterable[Hit]:
        raise NotImplementedError

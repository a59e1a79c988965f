"""Policy packs: schema, loading with ``extends``, the clause catalogue and the readable document."""

from somevahti.policy.loader import available_packs, load_pack, load_pack_text
from somevahti.policy.schema import Pack, RuleSpec

__all__ = ["Pack", "RuleSpec", "available_packs", "load_pack", "load_pack_text"]

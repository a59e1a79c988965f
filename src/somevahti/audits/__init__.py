"""Registry audits as plain functions over plain records.

The web application (or anything else) builds a :class:`Snapshot` of units, people, accounts,
grants and attestations; :func:`run_audits` runs every registered rule over it and returns
findings, each citing the policy clauses it enforces and naming who must act.
"""

from somevahti.audits.base import AuditFinding, Snapshot, audit_rule, registered_rules, run_audits
from somevahti.audits.records import AccountRec, AttestationRec, GrantRec, PersonRec, UnitRec

__all__ = [
    "AccountRec",
    "AttestationRec",
    "AuditFinding",
    "GrantRec",
    "PersonRec",
    "Snapshot",
    "UnitRec",
    "audit_rule",
    "registered_rules",
    "run_audits",
]

"""Language tools shared by the rule families and triage: each loads its resources once per process."""

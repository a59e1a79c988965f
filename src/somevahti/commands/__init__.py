"""Subcommands of ``somevahti``: each module defines ``register(subparsers)``."""

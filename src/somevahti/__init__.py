"""Somevahti: an organisation's social media policy, executable.

The core library (policy, rules, text, triage, archive, channels) knows nothing of the web;
the Django project in ``somevahti.web`` sits on top of it.
"""

__version__ = "0.1.0"

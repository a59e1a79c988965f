"""Errors a user can act on. The CLI prints them as one line and exits 2; never a traceback."""


class SomevahtiError(Exception):
    """Base class: the message is for a person and names what to fix."""


class InputError(SomevahtiError):
    """A post, comment file or other input could not be read."""


class PackError(SomevahtiError):
    """A policy pack could not be loaded: the message names the file, the line or field and the problem."""

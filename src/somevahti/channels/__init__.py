"""Channel connectors: where comments, replies and mentions come from and where answers go.

One module per platform registers a :class:`~somevahti.channels.base.Connector` subclass;
``get("mastodon")`` returns the class, ``available()`` the names. See docs/inbox.md.
"""

from somevahti.channels.base import (
    Capabilities,
    ChannelError,
    Connector,
    IncomingItem,
    NotSupported,
    available,
    get,
    register,
)

__all__ = [
    "Capabilities",
    "ChannelError",
    "Connector",
    "IncomingItem",
    "NotSupported",
    "available",
    "get",
    "register",
]

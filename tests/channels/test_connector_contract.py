"""What every publishing connector of this package offers the engine and the inbox alike: built from
stored credentials with the options the inbox passes every connector, the credential fields the
connect form shows (the first secret one takes the token), flags consistent with the methods."""

from __future__ import annotations

import pytest

from somevahti import channels
from somevahti.channels.base import Connector
from somevahti.channels.publishing import PublishingConnector

CREDENTIALS = {
    "facebook": {"page_id": "1", "access_token": "t"},
    "instagram": {"ig_user_id": "1", "access_token": "t"},
    "x": {"access_token": "t"},
    "linkedin": {"organization_id": "1", "access_token": "t"},
    "youtube": {"access_token": "t"},
}


@pytest.mark.parametrize("name", sorted(CREDENTIALS))
def test_built_from_credentials_with_the_inbox_options(name):
    cls = channels.get(name)
    connector = cls.from_credentials(CREDENTIALS[name], statuses=["111", "222"], since_id="100")
    assert isinstance(connector, Connector) and isinstance(connector, PublishingConnector)
    if cls.capabilities.can_fetch_comments:
        assert connector.posts == ["111", "222"]


@pytest.mark.parametrize("name", sorted(CREDENTIALS))
def test_fields_flags_and_methods_agree(name):
    cls = channels.get(name)
    secret = [f.name for f in cls.credential_fields if f.secret]
    assert secret and secret[0] == "access_token"
    assert {f.name for f in cls.credential_fields if f.required} <= set(CREDENTIALS[name])
    assert cls.publish_capabilities.oauth
    caps = cls.capabilities
    for flag, method in (
        ("can_fetch_comments", "fetch"),
        ("can_reply", "reply"),
        ("can_hide", "hide"),
        ("can_delete", "delete"),
        ("can_retract", "retract"),
    ):
        assert getattr(caps, flag) == (getattr(cls, method) is not getattr(Connector, method)), (name, flag)
    pc = cls.publish_capabilities
    assert pc.can_edit == (cls.edit_part is not PublishingConnector.edit_part)
    assert pc.can_delete_post == (cls.delete_part is not PublishingConnector.delete_part)

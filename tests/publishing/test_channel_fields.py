"""Which of a connector's credential fields `channel connect --server/--identifier/--password-stdin` fill."""

from somevahti.channels.file import FileConnector
from somevahti.channels.mastodon import MastodonConnector
from somevahti.channels.publishing import CredentialField
from somevahti.commands.channel import _fields


class PageConnector:
    credential_fields = (
        CredentialField("page_id", "Page id"),
        CredentialField("access_token", "Page access token", secret=True),
    )


class AppPasswordConnector:
    credential_fields = (
        CredentialField("server", "Server address (PDS)"),
        CredentialField("identifier", "Handle"),
        CredentialField("app_password", "App password", secret=True),
    )


def test_server_identifier_and_secret_go_to_the_connectors_own_fields():
    assert _fields(MastodonConnector) == ("server", None, "access_token")
    assert _fields(AppPasswordConnector) == ("server", "identifier", "app_password")
    assert _fields(PageConnector) == (
        "server",
        "page_id",
        "access_token",
    )  # --server never becomes the page id
    assert _fields(FileConnector) == ("directory", None, "")  # no secret to read

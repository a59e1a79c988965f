"""How failures reach the engine: a rate-limited real PDS, and a server that answers HTML."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from somevahti.channels.bluesky import BlueskyConnector
from somevahti.channels.publishing import ErrorKind, Part, PublishError
from somevahti.devtools import bluesky as devnet
from tests.bluesky.conftest import _require_node


@pytest.fixture(scope="module")
def limited_network():
    """PLC and PDS only, with the PDS's rate limits on (as on bsky.social)."""
    _require_node()
    with devnet.Network([("carol.test", "carol-main-password")], appview=False, rate_limits=True) as net:
        yield net


@pytest.mark.slow
def test_rate_limit_is_retry_later_with_the_reset_time(limited_network):
    kinds = []
    for _ in range(40):  # createSession allows 30 per handle in five minutes
        connector = BlueskyConnector(limited_network.pds_url, "carol.test", "wrong-password")
        with pytest.raises(PublishError) as err:
            connector.check_connection()
        kinds.append(err.value.kind)
        if err.value.kind is ErrorKind.RETRY_LATER:
            break
    assert kinds[0] is ErrorKind.REAUTHORIZE
    assert kinds[-1] is ErrorKind.RETRY_LATER, kinds
    assert err.value.status == 429 and 0 < err.value.retry_after <= 300
    assert "rate limit" in str(err.value)


class HtmlHandler(BaseHTTPRequestHandler):
    status = 502

    def _answer(self):
        body = b"<html><body><h1>Bad Gateway</h1></body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.mark.parametrize("status", [502, 503, 200])
def test_html_instead_of_json_is_platform_down(status):
    handler = type("Handler", (HtmlHandler,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connector = BlueskyConnector(
            f"http://127.0.0.1:{server.server_port}", "alice.test", "pw", session=None, timeout=5
        )
        with pytest.raises(PublishError) as err:
            connector.publish_part(Part(key="html:0", text="Hei"))
        assert err.value.kind is ErrorKind.PLATFORM_DOWN
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_server_is_platform_down_for_a_login():
    connector = BlueskyConnector("http://127.0.0.1:9", "alice.test", "pw", timeout=2)
    with pytest.raises(PublishError) as err:
        connector.check_connection()
    assert err.value.kind is ErrorKind.PLATFORM_DOWN

"""``python -m somevahti.devtools.bluesky``: one JSON line when ready, accounts made, loopback only,
and SIGTERM stops every server it started."""

import json
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.bluesky.conftest import _require_node


@pytest.mark.slow
def test_command_prints_the_network_and_stops_on_sigterm():
    _require_node()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "somevahti.devtools.bluesky",
            "--no-appview",
            "--account",
            "dave:dave-password-1",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(proc.stdout.readline())
        assert info["pds_url"].startswith("http://127.0.0.1:") and info["plc_url"].startswith(
            "http://127.0.0.1:"
        )
        (dave,) = info["accounts"]
        assert dave["handle"] == "dave.test" and dave["did"].startswith("did:plc:")
        assert httpx.get(f"{info['pds_url']}/xrpc/com.atproto.server.describeServer").status_code == 200
        login = httpx.post(
            f"{info['pds_url']}/xrpc/com.atproto.server.createSession",
            json={"identifier": "dave.test", "password": "dave-password-1"},
        )
        assert login.json()["did"] == dave["did"]
        # The PLC directory knows the account: the identity resolves on this network.
        assert httpx.get(f"{info['plc_url']}/{dave['did']}").json()["id"] == dave["did"]
        port = int(info["pds_url"].rsplit(":", 1)[1])
        with pytest.raises(OSError), socket.create_connection(("::1", port), timeout=1):
            pass  # not on IPv6 / other interfaces: loopback 127.0.0.1 only
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=60)
    assert code == 0
    time.sleep(0.5)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{info['pds_url']}/xrpc/com.atproto.server.describeServer", timeout=2)
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{info['plc_url']}/_health", timeout=2)

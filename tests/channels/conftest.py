import pytest
import respx


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch):
    """The assertions read the English messages; the command line defaults to Finnish."""
    monkeypatch.setenv("SOMEVAHTI_LANG", "en")


@pytest.fixture(autouse=True)
def _no_app_secret(monkeypatch):
    """Graph calls are signed with appsecret_proof only when the app secret is set: the recorded
    exchanges have none."""
    for var in ("SOMEVAHTI_FACEBOOK_CLIENT_SECRET", "SOMEVAHTI_INSTAGRAM_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def api():
    """A respx router for the recorded HTTP exchanges of one test."""
    with respx.mock(assert_all_called=False) as router:
        yield router

import os

import pytest

from somevahti.triage import model


@pytest.fixture(scope="session", autouse=True)
def small_model(tmp_path_factory):
    """A model trained on a sample (seconds), in a throwaway cache the CLI and Triager then use."""
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("SOMEVAHTI_CACHE")
    os.environ["SOMEVAHTI_CACHE"] = str(cache)
    examples = model.read_annotations()[::3] + model.read_neutral()
    trained = model.train(examples)
    trained.save(model.cache_path())
    yield trained
    if old is None:
        os.environ.pop("SOMEVAHTI_CACHE", None)
    else:
        os.environ["SOMEVAHTI_CACHE"] = old

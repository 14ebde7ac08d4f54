"""`baton dev` with the demo data (the browser tests' way of starting it), without rate limits: the
run asks faster than a person would, and a 429 would only hide what is being tested."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "browser"))
from baton_dev import Baton  # noqa: E402


@pytest.fixture(scope="session")
def baton():
    b = Baton("--rate-limit", "0")
    yield b
    b.stop()

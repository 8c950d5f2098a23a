"""The output is byte for byte what it was when the digests in
``tests/fixtures/golden.json`` were recorded: after a cold build and after
each kind of edit (see ``tests/golden.py``), on the sample archive and on a
generated corpus; the 10,000-story corpus with ``SSG_GOLDEN_LARGE=1``."""

import os

import pytest

from golden import digests, key, recorded

SIZES = [0, 300] + ([10000] if os.environ.get("SSG_GOLDEN_LARGE") else [])


@pytest.mark.parametrize("stories", SIZES, ids=key)
def test_output_is_as_recorded(stories):
    expected = recorded().get(key(stories))
    assert expected, f"nothing recorded for {key(stories)}: python3 tests/golden.py record --stories {stories}"
    found = digests(stories)
    assert {name: found[name] for name in expected} == expected
    assert found.keys() == expected.keys()

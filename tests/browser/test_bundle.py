"""The tab's JavaScript stays within its budget: at most 400 KB gzipped, all chunks together
(issue 10), counted on the files `make install` built into web/dist, as benchmarks/tab_load.py
counts it."""

from __future__ import annotations

import os

import pytest

from benchmarks.tab_load import DIST, gzipped_sizes

BUDGET = 400 * 1024


def test_the_built_javascript_is_at_most_400_kb_gzipped() -> None:
    if not (DIST / "index.html").is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("web/dist is missing in CI: `make install` builds it")
        pytest.skip("web/dist is not built (`make install` builds it)")
    sizes = gzipped_sizes(DIST)  # as `make bench` reports it
    assert sizes, "no JavaScript in web/dist/assets"
    total = sum(sizes.values())
    assert total <= BUDGET, f"{total / 1024:.0f} KB gzipped > 400 KB: {sizes}"

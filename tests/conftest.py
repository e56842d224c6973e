"""Shared test set-up: Hypothesis profiles and small fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

import vchuang

# "ci": deterministic examples so a failure on CI can be replayed anywhere;
# "dev" (default): random examples, a few more of them.
settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def example() -> vchuang.CommunityGraph:
    """The small example graph shipped inside the package."""
    return vchuang.load_example()

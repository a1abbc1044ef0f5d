"""Hypothesis settings shared by the hardening tests.

The default suite runs a modest number of examples per property so that `pytest` stays fast; set
SITROOM_FUZZ=1 to run each property far longer (and SITROOM_FUZZ_EXAMPLES=N to choose how long).
Settings objects are applied per test (not a global profile) so other suites are not affected.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

FUZZ = os.environ.get("SITROOM_FUZZ", "") not in ("", "0")
EXAMPLES = int(os.environ.get("SITROOM_FUZZ_EXAMPLES", "20000" if FUZZ else "150"))

# The deadline turns a hang into a failure. It is wide because the first call of some libraries is
# slow (dateparser loads every locale, ~10 s on a busy shared machine, the first time it meets an
# unknown word) and Hypothesis calls a test flaky when one run is slow and its replay is not.
# Time bounds proper are asserted in test_limits.py on inputs big enough to show a blow-up.
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not FUZZ,  # the default suite is reproducible; fuzz runs explore
    print_blob=True,
)
# Properties that write files or call the HTML extractor are ~10x dearer per example.
PROPERTY_IO = settings(PROPERTY, max_examples=max(EXAMPLES // 3, 30))

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

# The deadline catches super-linear blow-ups on the inputs Hypothesis draws (a few KB); it is wide
# because the test machines are shared and a cold trafilatura/dateparser call can take a second.
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None if FUZZ else timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not FUZZ,  # the default suite is reproducible; fuzz runs explore
    print_blob=True,
)
# Properties that write files or call the HTML extractor are ~10x dearer per example.
PROPERTY_IO = settings(PROPERTY, max_examples=max(EXAMPLES // 3, 30))

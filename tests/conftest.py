"""
Suite-wide test settings.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# CI shares two cores with nothing else, developers with whatever they run:
# a property test must fail on a wrong answer, never on a slow example.
settings.register_profile(
    "gcore-captions", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("gcore-captions")

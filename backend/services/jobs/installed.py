"""The job kinds and schedules this application runs.

Importing a feature's job module registers its kinds (``job_kind``); the worker is built with
``installed()``, so a kind declared anywhere but not imported here never runs (its jobs would
end dead as unknown). A new feature adds its module and, if periodic, its schedule, here.
"""

from __future__ import annotations

from typing import Any

from backend.services.jobs.kinds import REGISTRY, JobRegistry
from backend.services.jobs.schedules import Schedule


def installed() -> tuple[JobRegistry, tuple[Schedule[Any], ...]]:
    """The registry with every kind registered, and the schedules."""
    from backend.services.alerts import jobs as alerts
    from backend.services.notifications import delivery, email

    kinds = (
        alerts.evaluate,
        email.send_notice,
        email.send_digest,
        email.plan_digests,
        delivery.deliver,
    )
    assert all(REGISTRY.get(kind.name) is kind for kind in kinds)
    return REGISTRY, (alerts.HOURLY, email.DAILY_DIGEST)

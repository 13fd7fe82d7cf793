"""The demo's target registrations: in 2017 and 2018 every member's officer submitted its
targets a few days after the conference and the secretariat approved them a week later, so
the targets the demo scores against are approved and frozen. Called by `demo.seed_demo`."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import Compact, TargetRegistration

SUBMITTED_AFTER = datetime.timedelta(days=5, hours=9)
APPROVED_AFTER = datetime.timedelta(days=12, hours=15)


def approve_demo_targets(compacts: list[Compact], units: dict, secretariat) -> None:
    """Each unit's registration, submitted by its officer (`pccc_<code>`) and approved by
    the secretariat, with its history dated as it happened. Kept as is when already there."""
    officers = {
        u.username: u for u in get_user_model().objects.filter(username__startswith="pccc_")
    }
    for compact in compacts:
        signed = datetime.datetime.combine(compact.signed_on, datetime.time(8))
        signed = timezone.make_aware(signed)
        for code, unit in units.items():
            if TargetRegistration.objects.filter(compact=compact, unit=unit).exists():
                continue
            officer = officers.get(f"pccc_{code}")
            registration = TargetRegistration(compact=compact, unit=unit)
            for status, at, who in (
                (TargetRegistration.Status.SUBMITTED, signed + SUBMITTED_AFTER, officer),
                (TargetRegistration.Status.APPROVED, signed + APPROVED_AFTER, secretariat),
            ):
                registration.status = status
                if status == TargetRegistration.Status.SUBMITTED:
                    registration.submitted_at, registration.submitted_by = at, who
                else:
                    registration.approved_at, registration.approved_by = at, who
                registration.version += 1
                registration._history_date, registration._history_user = at, who
                registration.save()

"""Accounts the embedded default sets up for a newcomer."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured

from releases.permissions import ANALYST_GROUP

DEMO_ANALYST_USERNAME = "analyst"
# Public on purpose: it is printed by `make run` and only ever created with DEBUG on.
DEMO_ANALYST_PASSWORD = "claimsdb-analyst"


@dataclass(frozen=True)
class DemoAnalyst:
    username: str
    password: str
    created: bool


def demo_analyst_ensure() -> DemoAnalyst:
    """Create (or reset) the demo analyst: staff, in the analyst group, with the known password.

    Refuses with DEBUG off: a production database must never hold an account whose password is
    in the README.
    """
    if not settings.DEBUG:
        raise ImproperlyConfigured("The demo analyst is for development only (DEBUG is off).")
    user, created = User.objects.get_or_create(
        username=DEMO_ANALYST_USERNAME, defaults={"is_staff": True}
    )
    if created or not user.check_password(DEMO_ANALYST_PASSWORD) or not user.is_staff:
        user.is_staff = True
        user.set_password(DEMO_ANALYST_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=ANALYST_GROUP))
    return DemoAnalyst(DEMO_ANALYST_USERNAME, DEMO_ANALYST_PASSWORD, created)

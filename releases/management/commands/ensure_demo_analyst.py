"""`manage.py ensure_demo_analyst`: the analyst login `make run` prints."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from releases.services.accounts import demo_analyst_ensure


class Command(BaseCommand):
    help = "Create or reset the demo analyst account (development only) and print its login."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            analyst = demo_analyst_ensure()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Demo analyst login for /admin/: username {analyst.username!r}, "
            f"password {analyst.password!r}"
        )

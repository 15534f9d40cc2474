"""Command-line argument types shared by the management commands."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError


def date_argument(value: str, *, option: str = "--as-of") -> dt.date:
    """A YYYY-MM-DD option value as a date; anything else stops the command with a message."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None

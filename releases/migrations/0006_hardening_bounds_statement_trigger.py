"""The measurement bounds rule checked once per statement on PostgreSQL (issue 10 point 6)."""

from __future__ import annotations

from django.db import migrations

from releases.db_triggers import (
    install_measurement_statement_trigger,
    remove_measurement_statement_trigger,
)


class Migration(migrations.Migration):
    dependencies = [("releases", "0005_hardening_snapshot_review")]

    operations = [
        migrations.RunPython(
            install_measurement_statement_trigger, remove_measurement_statement_trigger
        )
    ]

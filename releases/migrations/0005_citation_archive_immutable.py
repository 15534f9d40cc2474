from __future__ import annotations

from django.db import migrations

from releases.db_triggers import install_archive_trigger, remove_archive_trigger


class Migration(migrations.Migration):
    dependencies = [("releases", "0004_snapshot_change_record")]

    operations = [migrations.RunPython(install_archive_trigger, remove_archive_trigger)]

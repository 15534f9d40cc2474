from __future__ import annotations

from django.db import migrations

from releases.db_triggers import install_bound_triggers, remove_bound_triggers


class Migration(migrations.Migration):
    dependencies = [("releases", "0001_initial")]

    operations = [migrations.RunPython(install_bound_triggers, remove_bound_triggers)]

"""Who may do what. The "analyst" group curates; it does not administer.

Analysts curate releases, variants, aliases, benchmarks, citations, claims and the figures
vendors report about other models, and review computed verdicts and name candidates. They may
look at leaderboard sources, snapshots and measurements (imported data, changed only by imports)
but not change them, and have no access to users or groups.
"""

from __future__ import annotations

from typing import Any

ANALYST_GROUP = "analyst"

# model name -> the actions analysts have on it.
ANALYST_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "vendor": ("view", "add", "change", "delete"),
    "modelrelease": ("view", "add", "change", "delete"),
    "modelvariant": ("view", "add", "change", "delete"),
    "modelalias": ("view", "add", "change", "delete"),
    "benchmark": ("view", "add", "change", "delete"),
    "benchmarkalias": ("view", "add", "change", "delete"),
    "citation": ("view", "add", "change", "delete"),
    "claim": ("view", "add", "change", "delete"),
    "reportedfigure": ("view", "add", "change", "delete"),
    "claimrevision": ("view",),
    "gapscore": ("view", "change"),  # change = record a review of the current verdict
    "aliascandidate": ("view", "change"),  # change = accept or reject
    "leaderboardsource": ("view",),
    "snapshot": ("view",),
    "measurement": ("view",),
}


def analyst_codenames() -> list[str]:
    return [
        f"{action}_{model}" for model, actions in ANALYST_PERMISSIONS.items() for action in actions
    ]


def sync_analyst_group(apps: Any, schema_editor: Any = None) -> None:
    """Create the analyst group, or set its permissions to exactly the list above.

    Written for migrations (it takes the historical `apps`), and safe to run again whenever the
    list changes: a later migration calls it to grant permissions on new models.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrations run; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ANALYST_GROUP)
    wanted = analyst_codenames()
    permissions = list(
        Permission.objects.filter(content_type__app_label="releases", codename__in=wanted)
    )
    missing = set(wanted) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"Permissions not found for the analyst group: {sorted(missing)}")
    group.permissions.set(permissions)


def remove_analyst_group(apps: Any, schema_editor: Any = None) -> None:
    apps.get_model("auth", "Group").objects.filter(name=ANALYST_GROUP).delete()

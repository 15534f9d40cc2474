"""The admin's "Apply" action on a snapshot held for review (issue 12), through the changelist as
an analyst uses it, on the real curated data with every bundled snapshot imported."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from django.test import Client

from releases.models import LeaderboardSource, Measurement, Snapshot
from releases.services.leaderboard_import import leaderboard_import
from tests.admin.registry import admin_url
from tests.conftest import FIXTURES_DIR

POLYGLOT_FILE = FIXTURES_DIR / "leaderboards" / "aider" / "polyglot_leaderboard.yml"
POLYGLOT = POLYGLOT_FILE.read_bytes()


FIRST_ROW_SCORE = b"pass_rate_2: 35.6"  # Gemini 2.0 Pro exp-02-05, the file's first row
CORRECTED_SCORE = b"pass_rate_2: 36.6"


def held_snapshot() -> Snapshot:
    """The bundled Aider file cut to its first row, with that row's score changed: it loses most
    of the previous snapshot's rows, so the import holds it for review and applies nothing."""
    source = LeaderboardSource.objects.get(slug="aider-polyglot")
    first_row = POLYGLOT[: POLYGLOT.index(b"\n- dirname", 10)]
    assert first_row.count(FIRST_ROW_SCORE) == 1
    cut = first_row.replace(FIRST_ROW_SCORE, CORRECTED_SCORE)
    summary = leaderboard_import(source_id=source.pk, raw=cut, file_name=POLYGLOT_FILE.name)
    assert summary.status == "held", summary
    return Snapshot.objects.get(pk=summary.snapshot_id)


def polyglot_values() -> dict[int, float]:
    return dict(
        Measurement.objects.filter(source__slug="aider-polyglot").values_list("id", "value")
    )


def gemini_pro_value() -> float:
    return Measurement.objects.get(
        source__slug="aider-polyglot", raw_model_name="Gemini 2.0 Pro exp-02-05"
    ).value


def apply(client: Client, snapshot: Snapshot):  # type: ignore[no-untyped-def]
    return client.post(
        admin_url(Snapshot, "changelist"),
        {"action": "apply_held", "_selected_action": [str(snapshot.pk)]},
        follow=True,
    )


def test_an_analyst_applies_a_held_snapshot_from_the_changelist(
    real_data, client: Client, analyst: User
) -> None:
    held = held_snapshot()
    before = polyglot_values()
    assert gemini_pro_value() == 35.6  # held: nothing applied yet
    client.force_login(analyst)

    listed = client.get(admin_url(Snapshot, "changelist"), {"status__exact": "held"})
    assert listed.status_code == 200
    assert "apply_held" in dict(listed.context["action_form"].fields["action"].choices)
    assert held in listed.context["cl"].result_list

    response = apply(client, held)

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    held.refresh_from_db()
    assert held.status == Snapshot.Status.APPLIED
    applied = Snapshot.objects.filter(source=held.source).latest("pk")
    assert applied.status == Snapshot.Status.IMPORTED and applied.sha256 == held.sha256
    assert any(
        m.startswith(f"Snapshot {held.pk} applied as snapshot {applied.pk}:") for m in messages
    ), messages
    # The held file's one row is applied as written; the rows it lacks keep their values.
    assert (applied.rows_parsed, applied.rows_updated) == (1, 1)
    assert gemini_pro_value() == 36.6
    after = polyglot_values()
    changed = {pk for pk in before if after[pk] != before[pk]}
    assert len(changed) == 1 and set(after) == set(before)


def test_apply_is_for_analysts_only_and_changes_nothing_otherwise(
    real_data, client: Client
) -> None:
    held = held_snapshot()
    before = polyglot_values()
    viewer = User.objects.create_user("viewer", password="pw-viewer-1", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_snapshot"))
    client.force_login(viewer)

    listed = client.get(admin_url(Snapshot, "changelist"))
    assert listed.status_code == 200
    assert listed.context["action_form"] is None or "apply_held" not in dict(
        listed.context["action_form"].fields["action"].choices
    )
    apply(client, held)

    held.refresh_from_db()
    assert held.status == Snapshot.Status.HELD
    assert polyglot_values() == before and gemini_pro_value() == 35.6


def test_applying_a_snapshot_that_is_not_held_does_nothing(
    real_data, client: Client, analyst: User
) -> None:
    imported = Snapshot.objects.filter(
        source__slug="aider-polyglot", status=Snapshot.Status.IMPORTED
    ).latest("pk")
    count = Snapshot.objects.count()
    client.force_login(analyst)

    response = apply(client, imported)

    assert response.status_code == 200
    assert Snapshot.objects.count() == count
    imported.refresh_from_db()
    assert imported.status == Snapshot.Status.IMPORTED

"""Database triggers for rules a CHECK constraint cannot express: they span two tables, or
compare a row with what it was (an archived document never changes).

A measurement's value and a claim's stated value must lie within their benchmark's bounds
(a percentage between 0 and 100). Forms check it too, but imports write in bulk and analysts
may use the shell, so the database is where the rule must live. Violations raise a
check_violation (PostgreSQL) or a constraint error (SQLite): both are IntegrityError in Django.
"""

from __future__ import annotations

from typing import Any

# (table, value column) pairs that carry a benchmark_id and must respect its bounds.
BOUNDED_COLUMNS = [("releases_measurement", "value"), ("releases_claim", "stated_value")]

_OUT_OF_BOUNDS = "(b.min_value IS NOT NULL AND {v} < b.min_value) OR (b.max_value IS NOT NULL AND {v} > b.max_value)"


def _postgresql_sql() -> list[str]:
    statements = []
    for table, column in BOUNDED_COLUMNS:
        function = f"{table}_{column}_in_bounds"
        statements.append(f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
  IF NEW.{column} IS NOT NULL AND NEW.benchmark_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM releases_benchmark b WHERE b.id = NEW.benchmark_id AND ({_OUT_OF_BOUNDS.format(v="NEW." + column)})
  ) THEN
    RAISE EXCEPTION '{table}.{column} % is outside the bounds of benchmark %', NEW.{column}, NEW.benchmark_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;""")
        statements.append(
            f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE OF {column}, benchmark_id "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION {function}();"
        )
    # Narrowing a benchmark's bounds must not strand rows that are already stored.
    checks = " OR ".join(
        f"EXISTS (SELECT 1 FROM {table} t WHERE t.benchmark_id = NEW.id AND "
        f"((NEW.min_value IS NOT NULL AND t.{column} < NEW.min_value) OR "
        f"(NEW.max_value IS NOT NULL AND t.{column} > NEW.max_value)))"
        for table, column in BOUNDED_COLUMNS
    )
    statements.append(f"""
CREATE OR REPLACE FUNCTION releases_benchmark_bounds_cover_rows() RETURNS trigger AS $$
BEGIN
  IF {checks} THEN
    RAISE EXCEPTION 'benchmark % bounds would exclude stored values', NEW.id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;""")
    statements.append(
        "CREATE TRIGGER releases_benchmark_bounds_cover_rows BEFORE UPDATE OF min_value, max_value "
        "ON releases_benchmark FOR EACH ROW EXECUTE FUNCTION releases_benchmark_bounds_cover_rows();"
    )
    return statements


def _sqlite_sql() -> list[str]:
    statements = []
    for table, column in BOUNDED_COLUMNS:
        condition = (
            f"NEW.{column} IS NOT NULL AND EXISTS (SELECT 1 FROM releases_benchmark b "
            f"WHERE b.id = NEW.benchmark_id AND ({_OUT_OF_BOUNDS.format(v='NEW.' + column)}))"
        )
        for event, name in (("INSERT", "insert"), (f"UPDATE OF {column}, benchmark_id", "update")):
            statements.append(
                f"CREATE TRIGGER {table}_{column}_in_bounds_{name} BEFORE {event} ON {table} "
                f"FOR EACH ROW WHEN {condition} BEGIN "
                f"SELECT RAISE(ABORT, '{table}.{column} is outside its benchmark bounds'); END;"
            )
    for table, column in BOUNDED_COLUMNS:
        statements.append(
            f"CREATE TRIGGER releases_benchmark_bounds_cover_{table} BEFORE UPDATE OF min_value, "
            f"max_value ON releases_benchmark FOR EACH ROW WHEN EXISTS (SELECT 1 FROM {table} t "
            f"WHERE t.benchmark_id = NEW.id AND ((NEW.min_value IS NOT NULL AND t.{column} < "
            f"NEW.min_value) OR (NEW.max_value IS NOT NULL AND t.{column} > NEW.max_value))) BEGIN "
            f"SELECT RAISE(ABORT, 'benchmark bounds would exclude stored values in {table}'); END;"
        )
    return statements


def _drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        drops = [
            f"DROP TRIGGER IF EXISTS {t}_{c}_in_bounds ON {t}; DROP FUNCTION IF EXISTS {t}_{c}_in_bounds();"
            for t, c in BOUNDED_COLUMNS
        ]
        drops.append(
            "DROP TRIGGER IF EXISTS releases_benchmark_bounds_cover_rows ON releases_benchmark; "
            "DROP FUNCTION IF EXISTS releases_benchmark_bounds_cover_rows();"
        )
        return drops
    drops = [
        f"DROP TRIGGER IF EXISTS {t}_{c}_in_bounds_{n};"
        for t, c in BOUNDED_COLUMNS
        for n in ("insert", "update")
    ]
    drops += [
        f"DROP TRIGGER IF EXISTS releases_benchmark_bounds_cover_{t};" for t, _ in BOUNDED_COLUMNS
    ]
    return drops


def install_bound_triggers(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _postgresql_sql, "sqlite": _sqlite_sql}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No bound triggers written for the {vendor} database")
    for statement in statements():
        schema_editor.execute(statement, params=None)


def remove_bound_triggers(apps: Any, schema_editor: Any) -> None:
    for statement in _drop_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


# --- Archived documents are immutable ----------------------------------------------------------
#
# Once a citation has an archived copy, its bytes and sha256 never change: other bytes for the
# same document are a new version (a new citation), so every sha256 the history ever recorded
# for a citation still has its bytes. Changing both from empty (the first archive) is allowed.

_ARCHIVE_TRIGGER = "releases_citation_archive_immutable"


def _archive_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"""
CREATE OR REPLACE FUNCTION {_ARCHIVE_TRIGGER}() RETURNS trigger AS $$
BEGIN
  IF OLD.sha256 <> '' AND (NEW.sha256 IS DISTINCT FROM OLD.sha256
      OR NEW.archived_content IS DISTINCT FROM OLD.archived_content) THEN
    RAISE EXCEPTION 'citation % archives %: archived documents are immutable, add a new version',
      OLD.id, OLD.sha256 USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;""",
            f"CREATE TRIGGER {_ARCHIVE_TRIGGER} BEFORE UPDATE OF sha256, archived_content "
            f"ON releases_citation FOR EACH ROW EXECUTE FUNCTION {_ARCHIVE_TRIGGER}();",
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {_ARCHIVE_TRIGGER} BEFORE UPDATE OF sha256, archived_content "
            "ON releases_citation FOR EACH ROW WHEN OLD.sha256 <> '' AND "
            "(NEW.sha256 IS NOT OLD.sha256 OR NEW.archived_content IS NOT OLD.archived_content) "
            "BEGIN SELECT RAISE(ABORT, 'archived documents are immutable, add a new version'); END;"
        ]
    raise NotImplementedError(f"No archive trigger written for the {vendor} database")


def install_archive_trigger(apps: Any, schema_editor: Any) -> None:
    for statement in _archive_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def remove_archive_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        statement = (
            f"DROP TRIGGER IF EXISTS {_ARCHIVE_TRIGGER} ON releases_citation; "
            f"DROP FUNCTION IF EXISTS {_ARCHIVE_TRIGGER}();"
        )
    else:
        statement = f"DROP TRIGGER IF EXISTS {_ARCHIVE_TRIGGER};"
    schema_editor.execute(statement, params=None)


# SQLite rebuilds a table (copy, drop, rename) to add a column or change a constraint, and a
# trigger naming that table would break the rename: migrations that rebuild the claim or
# measurement table take the triggers off first and put them back after. PostgreSQL alters
# tables in place, so there they do nothing.
def remove_bound_triggers_on_sqlite(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        remove_bound_triggers(apps, schema_editor)


def install_bound_triggers_on_sqlite(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        install_bound_triggers(apps, schema_editor)


# --- Measurements: one check per statement (migration 0006) -----------------------------------
# An import writes thousands of measurements in one statement; a row-level trigger runs its
# lookup of the benchmark once per row. On PostgreSQL the same rule is checked once per
# statement over the rows it wrote (a transition table), one join for the whole batch. PostgreSQL
# allows a transition table only on a trigger of one event, so INSERT and UPDATE get one each
# (an INSERT ... ON CONFLICT DO UPDATE fires both, each seeing its own rows). SQLite keeps its
# row-level triggers: it has no statement-level ones.

_MEASUREMENT_STATEMENT_FUNCTION = "releases_measurement_value_in_bounds_per_statement"
_MEASUREMENT_STATEMENT_TRIGGERS = (
    ("releases_measurement_value_in_bounds_on_insert", "INSERT"),
    ("releases_measurement_value_in_bounds_on_update", "UPDATE"),
)


def _measurement_statement_sql() -> list[str]:
    out_of_bounds = _OUT_OF_BOUNDS.format(v="n.value")
    statements = [
        "DROP TRIGGER IF EXISTS releases_measurement_value_in_bounds ON releases_measurement;",
        "DROP FUNCTION IF EXISTS releases_measurement_value_in_bounds();",
        f"""
CREATE OR REPLACE FUNCTION {_MEASUREMENT_STATEMENT_FUNCTION}() RETURNS trigger AS $$
DECLARE
  bad record;
BEGIN
  SELECT n.value, n.benchmark_id INTO bad
  FROM written n JOIN releases_benchmark b ON b.id = n.benchmark_id
  WHERE n.value IS NOT NULL AND ({out_of_bounds})
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'releases_measurement.value % is outside the bounds of benchmark %',
      bad.value, bad.benchmark_id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;""",
    ]
    for name, event in _MEASUREMENT_STATEMENT_TRIGGERS:
        statements.append(
            f"CREATE TRIGGER {name} AFTER {event} ON releases_measurement "
            f"REFERENCING NEW TABLE AS written FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {_MEASUREMENT_STATEMENT_FUNCTION}();"
        )
    return statements


def install_measurement_statement_trigger(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in _measurement_statement_sql():
        schema_editor.execute(statement, params=None)


def remove_measurement_statement_trigger(apps: Any, schema_editor: Any) -> None:
    """Back to the row-level trigger of migration 0002."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in _MEASUREMENT_STATEMENT_TRIGGERS:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {name} ON releases_measurement;", params=None
        )
    schema_editor.execute(
        f"DROP FUNCTION IF EXISTS {_MEASUREMENT_STATEMENT_FUNCTION}();", params=None
    )
    row_level = _postgresql_sql()[:2]  # the function and trigger of releases_measurement.value
    for statement in row_level:
        schema_editor.execute(statement, params=None)

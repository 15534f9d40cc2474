#!/usr/bin/env bash
# Make sure the services the test suite uses are up: PostgreSQL on 127.0.0.1:5432 with the
# project's role, and Redis on 127.0.0.1:6379. Starts what is installed but down; creates the
# role (and a development database) where missing. Idempotent: run it as often as you like.
# Installing missing packages is .ci/run's job; this script only says what is missing.
set -euo pipefail

PGHOST=127.0.0.1
PGPORT=${PGPORT:-5432}
PGUSER_NAME=${CLAIMSDB_PG_USER:-claimsdb}
PGPASS=${CLAIMSDB_PG_PASSWORD:-claimsdb}
REDIS_PORT=${REDIS_PORT:-6379}

as_postgres() {
  if [ "$(id -un)" = postgres ]; then bash -c "$1"; else su postgres -c "$1"; fi
}

pg_up() { pg_isready -q -h "$PGHOST" -p "$PGPORT"; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    version=$(pg_lsclusters -h | awk '$2=="main"{print $1; exit}')
    echo "ensure_services: starting PostgreSQL ${version:-?} cluster main"
    pg_ctlcluster --skip-systemctl-redirect "${version:-15}" main start
  else
    echo "ensure_services: PostgreSQL is not running on $PGHOST:$PGPORT and pg_ctlcluster is not installed" >&2
    exit 1
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "ensure_services: PostgreSQL did not come up" >&2; exit 1; }
fi

if ! PGPASSWORD=$PGPASS psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER_NAME" -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "ensure_services: creating PostgreSQL role $PGUSER_NAME"
  as_postgres "psql -p $PGPORT -v ON_ERROR_STOP=1 -tAc \"DO \\\$\\\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PGUSER_NAME') THEN
      CREATE ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS';
    ELSE
      ALTER ROLE $PGUSER_NAME LOGIN CREATEDB PASSWORD '$PGPASS';
    END IF; END \\\$\\\$;\"" >/dev/null
fi
# pytest-django creates and drops test_<name> itself; the plain database is for running the
# app on PostgreSQL by hand.
if ! PGPASSWORD=$PGPASS psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER_NAME" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PGUSER_NAME'" | grep -q 1; then
  PGPASSWORD=$PGPASS createdb -h "$PGHOST" -p "$PGPORT" -U "$PGUSER_NAME" "$PGUSER_NAME"
fi

if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "ensure_services: starting redis-server on 127.0.0.1:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.5; done
  else
    echo "ensure_services: redis-server is not installed (apt-get install -y redis-server; .ci/run does it)" >&2
    exit 1
  fi
fi
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null || { echo "ensure_services: Redis did not come up" >&2; exit 1; }
if [ ! -x /usr/bin/chromium ]; then
  echo "ensure_services: /usr/bin/chromium is missing: the browser tests (tests/browser) will fail (apt-get install -y chromium; .ci/run does it)" >&2
fi
echo "ensure_services: PostgreSQL and Redis are up"

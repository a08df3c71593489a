#!/bin/sh
# Run by the postgres image once, when its data directory is first made: the login role results and
# the trainer connect as (lungflow_service). It owns nothing; the services' migrations, run as the
# owner (POSTGRES_USER), grant it what it needs.
set -eu
psql -v ON_ERROR_STOP=1 -v password="$LUNGFLOW_DB_SERVICE_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
create role lungflow_service login password :'password';
SQL

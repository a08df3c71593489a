#!/bin/sh
# Run by the postgres image once, when its data directory is first made: the login roles results
# and the trainer each connect as (lungflow_results, lungflow_trainer). They own nothing; each
# service's migrations, run as the owner (POSTGRES_USER), grant its role what it needs and no more.
set -eu
psql -v ON_ERROR_STOP=1 -v results="$LUNGFLOW_DB_RESULTS_PASSWORD" -v trainer="$LUNGFLOW_DB_TRAINER_PASSWORD" \
    --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
create role lungflow_results login password :'results';
create role lungflow_trainer login password :'trainer';
SQL

#!/bin/sh
# Runs once, when PostgreSQL initialises an empty data volume (deploy/compose.yaml mounts it into
# /docker-entrypoint-initdb.d): a role and a database of their own for the Inngest server, so it can
# neither read nor change the app's tables.
set -eu
: "${INNGEST_POSTGRES_PASSWORD:?set INNGEST_POSTGRES_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=pw="$INNGEST_POSTGRES_PASSWORD" <<'SQL'
CREATE ROLE inngest LOGIN PASSWORD :'pw';
CREATE DATABASE inngest OWNER inngest;
REVOKE ALL ON DATABASE inngest FROM PUBLIC;
SQL

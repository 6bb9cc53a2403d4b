#!/bin/bash
# Runs once, on the first start of an empty PostgreSQL data volume
# (/docker-entrypoint-initdb.d). One role and one database per service, so each
# service owns its data; the service creates its own tables with Alembic at start.
set -euo pipefail

: "${DONGSEON_DB_PASSWORD:?set DONGSEON_DB_PASSWORD}"

for service in scheduler briefing notifier; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v svc="$service" -v pw="$DONGSEON_DB_PASSWORD" <<'SQL'
CREATE ROLE :"svc" LOGIN PASSWORD :'pw';
CREATE DATABASE :"svc" OWNER :"svc" ENCODING 'UTF8' TEMPLATE template0;
SQL
done

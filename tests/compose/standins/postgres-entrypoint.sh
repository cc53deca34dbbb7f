#!/bin/sh
# The official image's first start, in short: an empty PGDATA gets a cluster whose superuser is
# POSTGRES_USER with POSTGRES_PASSWORD (scram over TCP) and a database POSTGRES_DB; then the
# server runs as `postgres`, listening on every interface.
set -eu
as_postgres() { setpriv --reuid postgres --regid postgres --init-groups -- "$@"; }

if [ "${1:-}" != postgres ]; then
    exec "$@"
fi
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
mkdir -p "$PGDATA"
chown postgres:postgres "$PGDATA"
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    chown postgres "$pwfile"
    # The official image's cluster is UTF-8 (its locale is en_US.utf8), not SQL_ASCII.
    as_postgres initdb --username="$user" --pwfile="$pwfile" --auth-local=trust \
        --encoding=UTF8 --locale=C.UTF-8 \
        --auth-host=scram-sha-256 --pgdata="$PGDATA" > /dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
    if [ "$db" != postgres ]; then
        as_postgres pg_ctl --pgdata="$PGDATA" --options="-c listen_addresses=''" --wait \
            --silent start
        as_postgres psql --username="$user" --dbname=postgres --set=ON_ERROR_STOP=1 --quiet \
            --command="CREATE DATABASE \"$db\""
        as_postgres pg_ctl --pgdata="$PGDATA" --wait --silent stop
    fi
fi
shift
exec setpriv --reuid postgres --regid postgres --init-groups -- postgres "$@"

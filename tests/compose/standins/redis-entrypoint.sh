#!/bin/sh
# Like the official image: with no configuration file, redis-server refuses every client that is
# not on loopback ("protected mode"); containers reach it over the compose network.
set -eu
if [ "${1:-}" = redis-server ]; then
    shift
    exec redis-server --protected-mode no "$@"
fi
exec "$@"

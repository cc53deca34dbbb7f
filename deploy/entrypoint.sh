#!/bin/sh
# Runs the command as the unprivileged `gazette` user. Started as root (compose does so for the
# ingest worker), it first makes the inbox usable, then drops root for good:
# - an inbox that belongs to someone (a host user's bind-mounted folder) is left as it is, and the
#   command runs as that owner, so that both sides can keep writing to it;
# - an inbox that belongs to root (Docker created a missing bind-mount folder) is given to gazette.
set -eu

if [ "$(id -u)" != 0 ]; then
    exec "$@"
fi

inbox="${GAZETTE_INBOX_DIR:-}"
if [ -n "$inbox" ]; then
    mkdir -p "$inbox"
    if [ "$(stat -c %u "$inbox")" = 0 ]; then
        chown gazette:gazette "$inbox"
    else
        exec setpriv --reuid "$(stat -c %u "$inbox")" --regid "$(stat -c %g "$inbox")" \
            --clear-groups --inh-caps=-all -- "$@"
    fi
fi
exec setpriv --reuid gazette --regid gazette --init-groups --inh-caps=-all -- "$@"

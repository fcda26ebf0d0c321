# syntax=docker/dockerfile:1
# Lastclick as a container: stage 1 compiles the single executable with Bun,
# stage 2 is a minimal Debian 12 runtime holding only that file.
#
#   docker build -t lastclick .            (podman: podman build --format docker -t lastclick .,
#                                           its default OCI format drops the HEALTHCHECK)
#   docker run -d --name lastclick -p 8080:8080 -v lastclick:/data --stop-timeout 30 lastclick
#   docker logs lastclick                  (the first start prints an admin API token)
#   docker exec lastclick lastclick user create --email you@example.com --role admin
#   docker run --rm -v lastclick:/data lastclick token create --name ops
#   docker run --rm --user 0 -v lastclick:/data -v "$PWD":/backup lastclick backup --to /backup/lastclick.db
#   (--user 0: uid 65532 may not write to your folder)
#
# Stopping: give it 30 s (docker run --stop-timeout 30, compose stop_grace_period: 30s).
# On SIGTERM it writes every buffered click first; if the database does not answer it
# retries until 1.5 s before its own 8 s stop deadline, then saves the clicks to disk
# (/data) for the next start. Exit code 0 when all was written, 1 when clicks were saved
# or a step overran; a backstop exits at 9.5 s whatever happens. So it is done within the
# default 10 s too; 30 s is margin for a loaded host, never needed for correctness.
#
# Base images are named with their registry (docker.io/..., gcr.io/...) so that podman
# and buildah, which do not assume Docker Hub for short names, build this file as it is.
# Without registry access, scripts/container-standins.sh makes local stand-ins under
# these names (a test aid; see the README).

ARG BUN_VERSION=1.4.5

FROM docker.io/oven/bun:${BUN_VERSION} AS build
WORKDIR /app
# Dependencies first, so the layer is cached until the lockfile changes. Bun reads
# npm's package-lock.json directly; --production skips the dev tools (the build
# only needs Bun.build). The @libsql/* native package for this platform is an
# optional dependency and is installed.
COPY package.json package-lock.json bunfig.toml ./
RUN bun install --frozen-lockfile --production
COPY tsconfig.json ./
COPY scripts ./scripts
COPY drizzle ./drizzle
COPY public ./public
COPY views ./views
COPY src ./src
# Build, prove the binary starts, and prepare an empty data folder for stage 2.
RUN bun run build \
 && ./dist/lastclick --help > /dev/null \
 && mkdir -p /out/data

# glibc + libgcc (the libSQL native library needs libgcc_s), CA certificates,
# a world-writable /tmp and a nonroot user (65532); no shell.
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /app/dist/lastclick /usr/local/bin/lastclick
# /data owned by nonroot, so a fresh named volume is writable. A bind mount must
# be writable by uid 65532 (or run with --user).
COPY --from=build --chown=65532:65532 /out /
WORKDIR /data
VOLUME /data
# The binary unpacks its embedded libSQL library into $TMPDIR (/tmp) at start:
# with --read-only, add --tmpfs /tmp.
ENV DATABASE_URL=file:/data/lastclick.db \
    PORT=8080 \
    HOST=0.0.0.0
EXPOSE 8080
USER 65532:65532
# Ready = the database answers and its migrations match the binary (GET /readyz);
# the image has no shell or curl, so the binary asks itself (exit 0 ready, 1 not).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/usr/local/bin/lastclick", "health"]
# Exec form: lastclick is PID 1 and gets SIGTERM itself; it flushes buffered
# clicks and closes the database before exiting (see the stop timeout above).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/lastclick"]
CMD ["serve"]

#!/usr/bin/env bash
# Test aid for machines that reach no container registry (but reach a Debian mirror and
# npm): builds local stand-ins for the two base images the Dockerfile names, tagged with
# exactly those names, so that `podman build -t lastclick .` runs the unchanged Dockerfile.
# Not for production images: on a machine with registry access, use the real images.
#
#   sudo scripts/container-standins.sh     # needs podman, mmdebstrap (apt), npm; ~4 min
#
# Behind a TLS-intercepting proxy `bun install` in the build stage refuses the registry's
# certificate: the CAs in EXTRA_CA_CERTS (a PEM file; default: the host's own additions in
# /usr/local/share/ca-certificates/*.crt) go into the bun stand-in with NODE_EXTRA_CA_CERTS
# pointing at them, as a company's base image would have them.
#
# docker.io/oven/bun:$BUN_VERSION      Debian 12 minbase + ca-certificates, bun from npm
#                                      (@oven/bun-linux-x64) at /usr/local/bin/bun, user bun
#                                      (1000), WORKDIR /home/bun/app, CMD bun; as upstream.
# gcr.io/distroless/cc-debian12:nonroot  the files of the Debian packages distroless cc is
#                                      made of (base-files, libc6, libgcc-s1, gcc-12-base,
#                                      tzdata) + the CA bundle, passwd/group with root, nobody
#                                      and nonroot (65532, home /home/nonroot), /tmp 1777,
#                                      USER 65532; no shell, no package manager.
# Differences from upstream: the bun stand-in also has tzdata (the distroless files are copied
# from the same rootfs); the distroless stand-in lacks libstdc++6/libgomp1 (nothing here links them).
set -euo pipefail
cd "$(dirname "$0")/.."

BUN_VERSION=$(sed -n 's/^ARG BUN_VERSION=//p' Dockerfile)
SUITE=bookworm
MIRROR=${MIRROR:-http://deb.debian.org/debian}
for tool in podman mmdebstrap npm tar; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install podman mmdebstrap; npm comes with Node)" >&2; exit 1; }
done

work=$(mktemp -d /var/tmp/lastclick-standins.XXXXXX)
trap 'rm -rf "$work"' EXIT
deb="$work/debian"

echo "== Debian 12 minbase rootfs ($MIRROR)"
mmdebstrap --quiet --variant=minbase --include=ca-certificates,tzdata "$SUITE" "$deb" "$MIRROR"

echo "== docker.io/oven/bun:$BUN_VERSION"
(cd "$work" && npm pack --silent "@oven/bun-linux-x64@$BUN_VERSION" >/dev/null)
tar -xzf "$work/oven-bun-linux-x64-$BUN_VERSION.tgz" -C "$work" package/bin/bun
install -m 0755 "$work/package/bin/bun" "$deb/usr/local/bin/bun"
ln -s bun "$deb/usr/local/bin/bunx"
echo "bun:x:1000:1000::/home/bun:/bin/sh" >> "$deb/etc/passwd"
echo "bun:x:1000:" >> "$deb/etc/group"
mkdir -p "$deb/home/bun/app"
chown -R 1000:1000 "$deb/home/bun"
"$deb/usr/local/bin/bun" --version | grep -qx "$BUN_VERSION"
extra_ca=()
if [ -n "${EXTRA_CA_CERTS:-}" ]; then
  cat "$EXTRA_CA_CERTS" > "$work/extra-ca.crt"
elif compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cat /usr/local/share/ca-certificates/*.crt > "$work/extra-ca.crt"
fi
if [ -s "$work/extra-ca.crt" ]; then
  echo "   + $(grep -c 'BEGIN CERTIFICATE' "$work/extra-ca.crt") extra CA certificate(s) for bun (NODE_EXTRA_CA_CERTS)"
  install -m 0644 "$work/extra-ca.crt" "$deb/usr/local/share/ca-certificates/extra-ca.crt"
  extra_ca=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/extra-ca.crt')
fi
tar -C "$deb" -c . | podman import --quiet "${extra_ca[@]}" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'WORKDIR /home/bun/app' \
  --change 'CMD ["/usr/local/bin/bun"]' \
  - "docker.io/oven/bun:$BUN_VERSION" >/dev/null

echo "== gcr.io/distroless/cc-debian12:nonroot"
dl="$work/distroless"
mkdir -p "$dl/usr/bin" "$dl/usr/sbin" "$dl/usr/lib" "$dl/usr/lib64" "$dl/etc/ssl/certs"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$dl/$d"; done   # merged /usr, as Debian 12
# Every file and symlink the packages own (directories come with them; /bin, /lib... are the links above).
for p in base-files libc6:amd64 libgcc-s1:amd64 gcc-12-base:amd64 tzdata; do
  cat "$deb/var/lib/dpkg/info/$p.list"
done | sed 's#^/##' | while IFS= read -r f; do
  case "$f" in bin|sbin|lib|lib64) continue ;; esac
  if [ -L "$deb/$f" ] || [ -f "$deb/$f" ]; then printf '%s\n' "$f"; fi
done > "$work/files"
tar -C "$deb" --no-recursion -cf - -T "$work/files" | tar -C "$dl" -xf -
cp "$deb/etc/ssl/certs/ca-certificates.crt" "$dl/etc/ssl/certs/"
cat > "$dl/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat > "$dl/etc/group" <<'EOF'
root:x:0:
tty:x:5:
staff:x:50:
nobody:x:65534:
nonroot:x:65532:
EOF
install -d -m 0700 "$dl/root"
install -d -m 0700 -o 65532 -g 65532 "$dl/home/nonroot"
install -d -m 1777 "$dl/tmp"
for sh in bin/sh bin/bash bin/dash usr/bin/sh; do
  if [ -e "$dl/$sh" ]; then echo "distroless stand-in has a shell ($sh)" >&2; exit 1; fi
done
tar -C "$dl" -c . | podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
  --change 'USER 65532' \
  --change 'WORKDIR /home/nonroot' \
  - "gcr.io/distroless/cc-debian12:nonroot" >/dev/null

podman images --filter "reference=docker.io/oven/bun:$BUN_VERSION" --filter "reference=gcr.io/distroless/cc-debian12:nonroot"

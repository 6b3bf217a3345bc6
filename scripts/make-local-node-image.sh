#!/usr/bin/env bash
# Imports a stand-in for node:20-bookworm-slim built from this machine's own Node.js, for
# machines that cannot pull from any container registry (see ENVIRONMENT.md). It is what CI
# uses to prove that the Dockerfile builds and runs:
#
#   scripts/make-local-node-image.sh                      # -> slipway-local/node:20
#   docker build --build-arg NODE_IMAGE=slipway-local/node:20 --build-arg APP=api .
#
# The image mirrors the layout of the official one where the Dockerfile relies on it: node and
# npm/npx in /usr/local/bin, npm under /usr/local/lib/node_modules/npm, a `node` user with
# UID/GID 1000 and home /home/node, and a shell (busybox) for RUN steps. It is deliberately
# not tagged node:20-bookworm-slim, so it is never mistaken for the real image.
#
# Usage: make-local-node-image.sh [IMAGE]   (default: $SLIPWAY_LOCAL_NODE_IMAGE or slipway-local/node:20)
# Needs: a running Docker Engine (scripts/setup-docker.sh), node and npm on PATH, ldd, and a
# statically linked busybox (Debian's busybox-static; setup-docker.sh installs it).
set -euo pipefail

IMAGE="${1:-${SLIPWAY_LOCAL_NODE_IMAGE:-slipway-local/node:20}}"

log() { printf 'make-local-node-image: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

command -v docker >/dev/null 2>&1 || die "docker is missing (run scripts/setup-docker.sh)"
docker info >/dev/null 2>&1 || die "no Docker Engine reachable (run scripts/setup-docker.sh)"

NODE_BIN="$(readlink -f "$(command -v node)")" || die "node is not on PATH"
NPM_CLI="$(readlink -f "$(command -v npm)")" || die "npm is not on PATH"
# npm is <prefix>/lib/node_modules/npm/bin/npm-cli.js (a symlink target, or next to a wrapper).
NPM_DIR="$(cd "$(dirname "$NPM_CLI")/.." && pwd)"
if [ ! -f "$NPM_DIR/bin/npm-cli.js" ]; then
  NPM_DIR="$(cd "$(dirname "$NODE_BIN")/../lib/node_modules/npm" 2>/dev/null && pwd)" ||
    die "cannot find npm's package directory next to $NODE_BIN"
fi
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "no npm-cli.js under $NPM_DIR"

BUSYBOX=''
for candidate in /bin/busybox /usr/bin/busybox; do
  if [ -x "$candidate" ] && ! ldd "$candidate" >/dev/null 2>&1; then
    BUSYBOX="$candidate"
    break
  fi
done
[ -n "$BUSYBOX" ] || die "no statically linked busybox (apt-get install -y busybox-static)"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ROOTFS="$WORK/rootfs"
mkdir -p "$ROOTFS"/{bin,usr/bin,usr/local/bin,usr/local/lib/node_modules,etc,tmp,root,home/node}

# Node and every shared library the loader resolves for it, at the same paths as on the host.
cp "$NODE_BIN" "$ROOTFS/usr/local/bin/node"
ldd "$NODE_BIN" | awk '
  $2 == "=>" && $3 ~ /^\// { print $3 }
  $1 ~ /^\// { print $1 }
' | sort -u | while read -r lib; do
  mkdir -p "$ROOTFS$(dirname "$lib")"
  cp -L "$lib" "$ROOTFS$lib"
done
# The rest of glibc, as the official image has it: native addons (a bundler's binding, say)
# link librt or libdl even where Node itself does not.
LIBC_DIR="$(dirname "$(ldd "$NODE_BIN" | awk '$1 ~ /^libc\.so/ { print $3 }')")"
for lib in librt.so.1 libdl.so.2 libpthread.so.0 libresolv.so.2 libutil.so.1 libanl.so.1; do
  if [ -e "$LIBC_DIR/$lib" ]; then
    mkdir -p "$ROOTFS$LIBC_DIR"
    cp -L "$LIBC_DIR/$lib" "$ROOTFS$LIBC_DIR/$lib"
  fi
done
# Behind a TLS-intercepting egress proxy npm only reaches its registry when the host's CA bundle
# is trusted too: carry it over (NODE_EXTRA_CA_CERTS adds it to Node's own roots).
CA_BUNDLE="${SLIPWAY_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
IMPORT_CA=()
if [ -f "$CA_BUNDLE" ]; then
  mkdir -p "$ROOTFS/etc/ssl/certs"
  cp -L "$CA_BUNDLE" "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
  IMPORT_CA=(-c 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt')
fi
# Resolving names without /etc/nsswitch.conf falls back to odd defaults; be explicit.
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$ROOTFS/etc/nsswitch.conf"

# npm and npx, laid out as in the official image.
cp -a "$NPM_DIR" "$ROOTFS/usr/local/lib/node_modules/npm"
for tool in npm npx; do
  printf '#!/bin/sh\nexec /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/%s-cli.js "$@"\n' \
    "$tool" >"$ROOTFS/usr/local/bin/$tool"
  chmod 755 "$ROOTFS/usr/local/bin/$tool"
done

# Copies a binary (at its own path) with every shared library it loads.
copy_binary() {
  local path="$1"
  mkdir -p "$ROOTFS$(dirname "$path")"
  cp -L "$path" "$ROOTFS$path"
  ldd "$path" 2>/dev/null | awk '
    $2 == "=>" && $3 ~ /^\// { print $3 }
    $1 ~ /^\// { print $1 }
  ' | sort -u | while read -r lib; do
    mkdir -p "$ROOTFS$(dirname "$lib")"
    cp -L "$lib" "$ROOTFS$lib"
  done
}

# The edge's data plane and init (Debian's haproxy and tini), and git for the builder's
# clones, when this machine has them: the Dockerfile installs them with apt otherwise, which
# a machine without registries cannot.
for tool in haproxy tini git; do
  path="$(command -v "$tool" 2>/dev/null || true)"
  [ -n "$path" ] || continue
  path="$(readlink -f "$path")"
  copy_binary "$path"
  ln -sf "$path" "$ROOTFS/usr/local/bin/$tool"
done
# git runs its builtins and helpers (git-remote-http for http(s) clones) from its exec path.
if command -v git >/dev/null 2>&1; then
  GIT_EXEC="$(git --exec-path)"
  mkdir -p "$ROOTFS$(dirname "$GIT_EXEC")"
  cp -a "$GIT_EXEC" "$ROOTFS$GIT_EXEC"
  # Its builtins are git itself; the http(s) transport links libcurl and friends.
  copy_binary "$GIT_EXEC/git-remote-http"
fi

# A shell and the usual tools for RUN steps.
cp "$BUSYBOX" "$ROOTFS/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$ROOTFS/bin/$applet"
done
ln -sf /bin/busybox "$ROOTFS/usr/bin/env"

chmod 1777 "$ROOTFS/tmp"
chmod 700 "$ROOTFS/root"
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$ROOTFS/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' >"$ROOTFS/etc/group"

# Everything belongs to root except /home/node (UID/GID 1000), whoever runs this script.
TARBALL="$WORK/rootfs.tar"
tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" --exclude=./home/node -cf "$TARBALL" .
tar --numeric-owner --owner=1000 --group=1000 -C "$ROOTFS" -rf "$TARBALL" ./home/node

NODE_VERSION="$("$NODE_BIN" --version)"
log "importing $IMAGE (node ${NODE_VERSION}, npm $("$NODE_BIN" "$NPM_DIR/bin/npm-cli.js" --version))"
docker import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
  -c "ENV NODE_VERSION=${NODE_VERSION#v}" \
  "${IMPORT_CA[@]}" \
  -c 'CMD ["node"]' \
  "$TARBALL" "$IMAGE" >/dev/null
docker run --rm "$IMAGE" node -e 'process.stdout.write(`node ${process.version} works\n`)' >&2
printf '%s\n' "$IMAGE"

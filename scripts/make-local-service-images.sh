#!/usr/bin/env bash
# Imports stand-ins for the third-party images of docker-compose.yml, built from this
# machine's own Debian packages, for machines that cannot pull from any container registry
# (see ENVIRONMENT.md). The compose e2e test runs the whole stack with them:
#
#   scripts/make-local-service-images.sh
#   SLIPWAY_POSTGRES_IMAGE=slipway-local/postgres:15 SLIPWAY_REDIS_IMAGE=slipway-local/redis:7 \
#   SLIPWAY_REGISTRY_IMAGE=slipway-local/registry:2 docker-compose up -d --build
#
#   slipway-local/postgres:15   Debian's postgresql-15; POSTGRES_USER/_PASSWORD/_DB and PGDATA
#                               as the official image reads them; pg_isready on PATH
#   slipway-local/redis:7       Debian's redis-server, working directory /data
#   slipway-local/registry:2    Debian's docker-registry (distribution v2) with the official
#                               image's /etc/docker/registry/config.yml; REGISTRY_* env applies
#
# They mirror only what docker-compose.yml relies on and are never tagged as the real images.
# Each is a statically linked busybox plus the package's binaries and the shared libraries the
# loader resolves for them. Needs: a running Docker Engine, ldd, busybox-static, and the
# packages postgresql-15, redis-server and docker-registry (installed here when missing).
# Prints the `export SLIPWAY_*_IMAGE=...` lines to use; progress goes to stderr.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

readonly PG_VERSION=15
readonly PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"

log() { printf 'make-local-service-images: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

docker info >/dev/null 2>&1 || die "no Docker Engine reachable (run scripts/setup-docker.sh)"

missing=()
[ -x "$PG_BIN/postgres" ] || missing+=("postgresql-$PG_VERSION")
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || missing+=(busybox-static)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing packages ${missing[*]} (install them as root)"
  log "apt-get install ${missing[*]}"
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# A rootfs with busybox as /bin/sh and its applets, root and one service user.
new_rootfs() {
  local rootfs="$1" user="$2" uid="$3"
  mkdir -p "$rootfs"/{bin,usr/bin,usr/local/bin,etc,tmp,root,run}
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\n%s:x:%s:%s::/nonexistent:/bin/false\n' "$user" "$uid" "$uid" >"$rootfs/etc/passwd"
  printf 'root:x:0:\n%s:x:%s:\n' "$user" "$uid" >"$rootfs/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
}

# A binary at its own path, with every shared library the loader resolves for it.
copy_with_libs() {
  local rootfs="$1" binary="$2"
  mkdir -p "$rootfs$(dirname "$binary")"
  cp -L "$binary" "$rootfs$binary"
  ldd "$binary" 2>/dev/null | awk '
    $2 == "=>" && $3 ~ /^\// { print $3 }
    $1 ~ /^\// { print $1 }
  ' | sort -u | while read -r lib; do
    [ -e "$rootfs$lib" ] && continue
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

import_rootfs() {
  local rootfs="$1" image="$2"
  shift 2
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -cf "$WORK/rootfs.tar" .
  docker import -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin' "$@" "$WORK/rootfs.tar" "$image" >/dev/null
  rm -f "$WORK/rootfs.tar"
  log "imported $image"
}

postgres_image() {
  local rootfs="$WORK/postgres" image='slipway-local/postgres:15'
  new_rootfs "$rootfs" postgres 999
  for tool in postgres initdb pg_ctl pg_isready; do
    copy_with_libs "$rootfs" "$PG_BIN/$tool"
    ln -sf "$PG_BIN/$tool" "$rootfs/usr/local/bin/$tool"
  done
  # Extensions (plpgsql), the share files initdb reads, and the time zone data.
  for lib in "/usr/lib/postgresql/$PG_VERSION/lib"/*.so; do copy_with_libs "$rootfs" "$lib"; done
  mkdir -p "$rootfs/usr/share/postgresql" "$rootfs/usr/share/zoneinfo"
  cp -a "/usr/share/postgresql/$PG_VERSION" "$rootfs/usr/share/postgresql/"
  cp -a /usr/share/zoneinfo/. "$rootfs/usr/share/zoneinfo/"
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<EOF
#!/bin/sh
# The official image's contract, as much as docker-compose.yml uses: initialise PGDATA on
# first start with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB, then run postgres.
set -eu
: "\${POSTGRES_USER:=postgres}" "\${POSTGRES_DB:=\$POSTGRES_USER}" "\${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
PGDATA="\${PGDATA:-/var/lib/postgresql/data}"
mkdir -p "\$PGDATA" /run/postgresql
chown -R postgres:postgres "\$PGDATA" /run/postgresql
chmod 700 "\$PGDATA"
as_postgres() { su -s /bin/sh postgres -c "\$*"; }
if [ ! -s "\$PGDATA/PG_VERSION" ]; then
  printf '%s' "\$POSTGRES_PASSWORD" >/tmp/pwfile && chown postgres /tmp/pwfile
  as_postgres "initdb -D '\$PGDATA' -U '\$POSTGRES_USER' --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 --locale=C -E UTF8" >/dev/null
  rm -f /tmp/pwfile
  echo 'host all all all scram-sha-256' >>"\$PGDATA/pg_hba.conf"
  if [ "\$POSTGRES_DB" != postgres ]; then
    echo "CREATE DATABASE \"\$POSTGRES_DB\" OWNER \"\$POSTGRES_USER\";" |
      as_postgres "postgres --single -D '\$PGDATA' postgres" >/dev/null
  fi
fi
exec su -s /bin/sh postgres -c "exec postgres -D '\$PGDATA' -c listen_addresses='*' -k /run/postgresql"
EOF
  chmod 755 "$rootfs/usr/local/bin/docker-entrypoint.sh"
  import_rootfs "$rootfs" "$image" -c 'ENV TZ=UTC' -c 'ENV PGDATA=/var/lib/postgresql/data' \
    -c 'ENV PGHOST=/run/postgresql' -c 'EXPOSE 5432' -c 'CMD ["docker-entrypoint.sh"]'
  printf 'export SLIPWAY_POSTGRES_IMAGE=%s\n' "$image"
}

redis_image() {
  local rootfs="$WORK/redis" image='slipway-local/redis:7'
  new_rootfs "$rootfs" redis 999
  copy_with_libs "$rootfs" "$(readlink -f "$(command -v redis-server)")"
  copy_with_libs "$rootfs" "$(readlink -f "$(command -v redis-cli)")"
  ln -sf "$(readlink -f "$(command -v redis-server)")" "$rootfs/usr/local/bin/redis-server"
  ln -sf "$(readlink -f "$(command -v redis-cli)")" "$rootfs/usr/local/bin/redis-cli"
  mkdir -p "$rootfs/data"
  # As the official image does: other containers reach it without a password, so protected
  # mode (loopback only, in that case) is turned off.
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
if [ "${1:-}" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
EOF
  chmod 755 "$rootfs/usr/local/bin/docker-entrypoint.sh"
  import_rootfs "$rootfs" "$image" -c 'WORKDIR /data' -c 'EXPOSE 6379' \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' -c 'CMD ["redis-server"]'
  printf 'export SLIPWAY_REDIS_IMAGE=%s\n' "$image"
}

registry_image() {
  local rootfs="$WORK/registry" image='slipway-local/registry:2'
  new_rootfs "$rootfs" registry 999
  copy_with_libs "$rootfs" "$(readlink -f "$(command -v docker-registry)")"
  ln -sf "$(readlink -f "$(command -v docker-registry)")" "$rootfs/usr/local/bin/registry"
  mkdir -p "$rootfs/etc/docker/registry" "$rootfs/var/lib/registry"
  cat >"$rootfs/etc/docker/registry/config.yml" <<'EOF'
version: 0.1
log:
  fields:
    service: registry
storage:
  cache:
    blobdescriptor: inmemory
  filesystem:
    rootdirectory: /var/lib/registry
http:
  addr: :5000
EOF
  import_rootfs "$rootfs" "$image" -c 'EXPOSE 5000' \
    -c 'CMD ["registry", "serve", "/etc/docker/registry/config.yml"]'
  printf 'export SLIPWAY_REGISTRY_IMAGE=%s\n' "$image"
}

postgres_image
redis_image
registry_image

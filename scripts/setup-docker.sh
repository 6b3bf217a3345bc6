#!/usr/bin/env bash
# Makes a Docker Engine and a local test base image available, for CI and for developers on
# machines without a running engine or any container registry (see ENVIRONMENT.md).
#
#   eval "$(scripts/setup-docker.sh)"        # start/verify the engine, export SLIPWAY_TEST_BASE_IMAGE
#   scripts/setup-docker.sh --stop           # stop the dockerd and registry this script started
#
# Idempotent: when `docker info` already works nothing is installed or started. When no engine
# runs, Debian's docker.io is installed if missing and dockerd is started in the background,
# logging to $SLIPWAY_DOCKERD_LOG (default: $RUNNER_TEMP or /tmp, slipway-dockerd.log).
#
# Tests take their base image from SLIPWAY_TEST_BASE_IMAGE (busybox:1.36 on a laptop). When that
# image is not in the engine and cannot be pulled, a 2 MB busybox image is imported as
# slipway-test/busybox:latest from Debian's busybox-static. The only line written to stdout is
# the `export SLIPWAY_TEST_BASE_IMAGE=...` to use; progress goes to stderr.
#
# Builds push to a registry: when nothing answers on $SLIPWAY_TEST_REGISTRY (default
# 127.0.0.1:5000), Debian's docker-registry (distribution v2) is started there without auth and
# with deletes enabled, storing under $STATE_DIR. Its address is printed as
# `export SLIPWAY_TEST_REGISTRY=...`.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

readonly LOCAL_BASE_IMAGE='slipway-test/busybox:latest'
readonly STATE_DIR="${RUNNER_TEMP:-/tmp}"
readonly DOCKERD_LOG="${SLIPWAY_DOCKERD_LOG:-$STATE_DIR/slipway-dockerd.log}"
readonly DOCKERD_PIDFILE="$STATE_DIR/slipway-dockerd.pid"
readonly WAIT_SECONDS="${SLIPWAY_DOCKERD_WAIT_SECONDS:-60}"
readonly REGISTRY_ADDR="${SLIPWAY_TEST_REGISTRY:-127.0.0.1:5000}"
readonly REGISTRY_DIR="$STATE_DIR/slipway-registry"
readonly REGISTRY_PIDFILE="$STATE_DIR/slipway-registry.pid"

WORK="$(mktemp -d)"
readonly WORK
trap 'rm -rf "$WORK"' EXIT

log() { printf 'setup-docker: %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  fi
fi
as_root() {
  if [ "$(id -u)" -eq 0 ] || [ "${#SUDO[@]}" -gt 0 ]; then
    "${SUDO[@]}" "$@"
  else
    die "'$*' needs root (run as root or with passwordless sudo)"
  fi
}

APT_UPDATED=0
apt_update_once() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    as_root apt-get update -qq >&2
    APT_UPDATED=1
  fi
}
apt_install() {
  apt_update_once
  log "apt-get install $*"
  as_root apt-get install -y -qq --no-install-recommends "$@" >&2
}

engine_ready() { docker info >/dev/null 2>&1; }

stop_own_dockerd() {
  if [ ! -f "$DOCKERD_PIDFILE" ]; then
    log "no dockerd started by this script ($DOCKERD_PIDFILE missing); nothing to stop"
    return 0
  fi
  local pid
  pid="$(cat "$DOCKERD_PIDFILE")"
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "dockerd" ]; then
    log "stopping dockerd (pid $pid) started by this script"
    as_root kill -TERM "$pid"
    for _ in $(seq 1 30); do
      [ -d "/proc/$pid" ] || break
      sleep 1
    done
  else
    log "pid ${pid:-?} from $DOCKERD_PIDFILE is not a running dockerd; nothing to stop"
  fi
  rm -f "$DOCKERD_PIDFILE"
}

start_engine() {
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
  fi
  command -v docker >/dev/null 2>&1 || die "docker CLI still missing after installing docker.io"

  if pgrep -x dockerd >/dev/null 2>&1; then
    # Someone else's engine: wait for it, never restart or stop it.
    log "a dockerd is already running (not started by this script); waiting for it"
  else
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd in the background (log: $DOCKERD_LOG)"
    # setsid: the engine outlives this script and the shell that called it.
    as_root setsid dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
    local launcher=$!
    sleep 1
    local pid
    pid="$(pgrep -n -x dockerd || true)"
    if [ -n "$pid" ]; then
      printf '%s\n' "$pid" >"$DOCKERD_PIDFILE"
    elif ! kill -0 "$launcher" 2>/dev/null; then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd exited at once; see $DOCKERD_LOG"
    fi
  fi

  local waited=0
  until engine_ready; do
    if [ "$waited" -ge "$WAIT_SECONDS" ]; then
      tail -n 30 "$DOCKERD_LOG" >&2 2>/dev/null || true
      docker info 2>&1 | tail -n 3 >&2 || true
      die "the Docker Engine did not answer 'docker info' within ${WAIT_SECONDS}s (log: $DOCKERD_LOG)"
    fi
    if [ -f "$DOCKERD_PIDFILE" ] && [ ! -d "/proc/$(cat "$DOCKERD_PIDFILE")" ]; then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd stopped while starting; see $DOCKERD_LOG"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  # A non-root user on CI reaches a root-started engine through the socket.
  if [ "$(id -u)" -ne 0 ] && [ -S /var/run/docker.sock ] && [ ! -w /var/run/docker.sock ]; then
    as_root chmod a+rw /var/run/docker.sock
  fi
  log "Docker Engine ready after ${waited}s"
}

registry_ready() { curl -fsS -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null; }

stop_own_registry() {
  [ -f "$REGISTRY_PIDFILE" ] || return 0
  local pid
  pid="$(cat "$REGISTRY_PIDFILE")"
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "docker-registry" ]; then
    log "stopping docker-registry (pid $pid) started by this script"
    kill -TERM "$pid" || true
  fi
  rm -f "$REGISTRY_PIDFILE"
}

ensure_registry() {
  if registry_ready; then
    log "a registry already answers on $REGISTRY_ADDR"
    return 0
  fi
  command -v docker-registry >/dev/null 2>&1 || apt_install docker-registry
  mkdir -p "$REGISTRY_DIR/data"
  # Our own config: the package's default turns on htpasswd auth and listens on every address.
  cat >"$REGISTRY_DIR/config.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML
  log "starting docker-registry on $REGISTRY_ADDR (log: $REGISTRY_DIR/registry.log)"
  setsid docker-registry serve "$REGISTRY_DIR/config.yml" >"$REGISTRY_DIR/registry.log" 2>&1 </dev/null &
  printf '%s\n' "$!" >"$REGISTRY_PIDFILE"
  for _ in $(seq 1 30); do
    registry_ready && return 0
    sleep 0.5
  done
  tail -n 20 "$REGISTRY_DIR/registry.log" >&2 || true
  die "the registry did not answer on http://$REGISTRY_ADDR/v2/"
}

# Prints the path of a statically linked busybox, fetching Debian's busybox-static when needed.
static_busybox() {
  local candidate
  for candidate in /bin/busybox /usr/bin/busybox; do
    if [ -x "$candidate" ] && ! ldd "$candidate" >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  if ! dpkg-query -W -f='${Status}' busybox 2>/dev/null | grep -q 'ok installed'; then
    apt_install busybox-static
    [ -x /bin/busybox ] || die "busybox-static is installed but /bin/busybox is missing"
    printf '%s\n' /bin/busybox
    return 0
  fi
  # A dynamic busybox is installed and busybox-static would replace it: unpack the package
  # into the work directory instead of touching the system.
  apt_update_once
  log "unpacking busybox-static without installing it (the busybox package is installed)"
  (cd "$WORK" && apt-get download busybox-static >&2 && dpkg-deb -x busybox-static_*.deb "$WORK/busybox-static")
  [ -x "$WORK/busybox-static/bin/busybox" ] || die "cannot unpack busybox-static"
  printf '%s\n' "$WORK/busybox-static/bin/busybox"
}

build_local_base_image() {
  local busybox rootfs applet
  busybox="$(static_busybox)"
  rootfs="$WORK/rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/home/app" "$rootfs/root"
  cp "$busybox" "$rootfs/bin/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  log "importing $LOCAL_BASE_IMAGE from $busybox"
  tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . |
    docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$LOCAL_BASE_IMAGE" >/dev/null
}

# Prints the base image tests should use.
ensure_base_image() {
  local wanted="${SLIPWAY_TEST_BASE_IMAGE:-$LOCAL_BASE_IMAGE}"
  if docker image inspect "$wanted" >/dev/null 2>&1; then
    log "base image $wanted is present"
    printf '%s\n' "$wanted"
    return 0
  fi
  if [ "$wanted" != "$LOCAL_BASE_IMAGE" ]; then
    log "base image $wanted is missing; trying to pull it"
    if timeout 60 docker pull -q "$wanted" >/dev/null 2>&1; then
      printf '%s\n' "$wanted"
      return 0
    fi
    log "cannot pull $wanted; using a local busybox image instead"
    if docker image inspect "$LOCAL_BASE_IMAGE" >/dev/null 2>&1; then
      printf '%s\n' "$LOCAL_BASE_IMAGE"
      return 0
    fi
  fi
  build_local_base_image
  printf '%s\n' "$LOCAL_BASE_IMAGE"
}

main() {
  case "${1:-}" in
    --stop)
      stop_own_registry
      stop_own_dockerd
      return 0
      ;;
    '') ;;
    *) die "unknown argument '$1' (usage: setup-docker.sh [--stop])" ;;
  esac

  if engine_ready; then
    log "Docker Engine already reachable; nothing to start"
  else
    start_engine
  fi
  local image
  image="$(ensure_base_image)"
  ensure_registry
  # The CLI's terminal test answers `slipway config`'s prompts through tmux.
  command -v tmux >/dev/null 2>&1 || apt_install tmux
  printf 'export SLIPWAY_TEST_BASE_IMAGE=%s\n' "$image"
  printf 'export SLIPWAY_TEST_REGISTRY=%s\n' "$REGISTRY_ADDR"
}

main "$@"

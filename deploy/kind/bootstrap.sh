#!/usr/bin/env bash
# The `kind` service of `docker compose --profile kind up`: a kind cluster for the platform's
# Kubernetes runtime, next to the rest of the compose stack.
#
# Through the host's Docker socket it
#   1. creates the cluster "$SLIPWAY_KIND_CLUSTER" (default slipway) when absent, its nodes on
#      this compose project's own network, so nodes, pods and the compose services reach each
#      other by name (kind's nodes forward pods' DNS to Docker's);
#   2. lets every node pull from the compose registry (containerd hosts.toml per node) and
#      publishes it in the `local-registry-hosting` ConfigMap (KEP-1755);
#   3. writes an internal kubeconfig (https://<cluster>-control-plane:6443) to $STATE_DIR;
#   4. publishes the edge and collector images, and applies the platform's own objects as
#      libs/k8s-spec renders them (namespaces, RBAC, the edge on a NodePort, the collector),
#      with their configuration Secret and the build namespace's registry Secret;
#   5. writes $STATE_DIR/runtime.env: the settings the API, builder and edge switch to
#      (deploy/compose/entry.mjs), and waits.
# On SIGTERM (`docker compose down` or `stop`) it removes runtime.env and deletes the
# cluster, unless SLIPWAY_KIND_KEEP_CLUSTER=true.
set -euo pipefail

readonly CLUSTER="${SLIPWAY_KIND_CLUSTER:-slipway}"
readonly STATE_DIR="${SLIPWAY_KIND_STATE_DIR:-/var/lib/slipway/kind}"
readonly KEEP_CLUSTER="${SLIPWAY_KIND_KEEP_CLUSTER:-false}"
# The compose registry as nodes (containerd) and pods (Kaniko) reach it on the shared network.
readonly REGISTRY="${SLIPWAY_KIND_REGISTRY:-registry:5000}"
readonly EDGE_IMAGE="${SLIPWAY_EDGE_IMAGE:-slipway-edge:local}"
readonly COLLECTOR_IMAGE="${SLIPWAY_COLLECTOR_IMAGE:-slipway-collector:local}"
# The engine pushes to the registry on the host's published port; nodes pull it as $REGISTRY.
readonly HOST_REGISTRY="localhost:${SLIPWAY_REGISTRY_PORT:-5000}"
# Kaniko's own image, pulled anonymously by the nodes.
readonly KANIKO_IMAGE="${SLIPWAY_KIND_KANIKO_IMAGE:-gcr.io/kaniko-project/executor:v1.23.2}"
readonly EDGE_NODE_PORT="${SLIPWAY_KIND_EDGE_NODE_PORT:-30080}"
readonly SYSTEM_NAMESPACE='slipway'
readonly BUILD_NAMESPACE='slipway-builds'
readonly KUBECONFIG_FILE="$STATE_DIR/kubeconfig"
readonly RUNTIME_ENV="$STATE_DIR/runtime.env"
readonly MANIFESTS_CLI="${SLIPWAY_KIND_MANIFESTS_CLI:-/app/libs/k8s-spec/dist/cli/platform-manifests.js}"

log() { printf 'kind-bootstrap: %s\n' "$*"; }
die() {
  log "error: $*" >&2
  exit 1
}
require_env() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || die "$name is not set (docker-compose.yml passes it)"
  done
}

shutdown() {
  rm -f "$RUNTIME_ENV"
  if [ "$KEEP_CLUSTER" = true ]; then
    log "keeping the cluster $CLUSTER (SLIPWAY_KIND_KEEP_CLUSTER=true)"
  else
    log "deleting the cluster $CLUSTER"
    kind delete cluster --name "$CLUSTER" || log "could not delete the cluster $CLUSTER"
  fi
  exit 0
}

# The compose network this container is on: the cluster's nodes join it.
own_network() {
  docker inspect "$(hostname)" \
    --format '{{range $name, $_ := .NetworkSettings.Networks}}{{println $name}}{{end}}' |
    sed -n 1p
}

REUSED=false
create_cluster() {
  if kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
    log "the cluster $CLUSTER exists: reusing it"
    REUSED=true
    return
  fi
  log "creating the cluster $CLUSTER on the network $KIND_EXPERIMENTAL_DOCKER_NETWORK"
  kind create cluster --name "$CLUSTER" --wait 180s --config - <<EOF
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |-
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
nodes:
  - role: control-plane
EOF
}

# containerd on every node pulls $REGISTRY over plain HTTP from the compose registry.
wire_registry() {
  local node dir="/etc/containerd/certs.d/$REGISTRY"
  for node in $(kind get nodes --name "$CLUSTER"); do
    docker exec "$node" mkdir -p "$dir"
    printf '[host."http://%s"]\n  capabilities = ["pull", "resolve"]\n' "$REGISTRY" |
      docker exec -i "$node" cp /dev/stdin "$dir/hosts.toml"
  done
  kubectl apply -f - <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: local-registry-hosting
  namespace: kube-public
data:
  localRegistryHosting.v1: |
    host: "localhost:${SLIPWAY_REGISTRY_PORT:-5000}"
    hostFromContainerRuntime: "$REGISTRY"
    hostFromClusterNetwork: "$REGISTRY"
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
EOF
}

# Pushes a locally built image to the compose registry; prints its name as the nodes pull it.
# (Through the registry rather than `kind load`: an image store with attestations, as Docker
# 29 and Docker Desktop keep, cannot be imported by kind.)
publish_image() {
  local repository="slipway/${1%%:*}"
  docker tag "$1" "$HOST_REGISTRY/$repository:local" >&2
  docker push --quiet "$HOST_REGISTRY/$repository:local" >&2
  printf '%s/%s:local\n' "$REGISTRY" "$repository"
}

apply_platform() {
  local edge_image collector_image
  log "publishing $EDGE_IMAGE and $COLLECTOR_IMAGE to the registry"
  edge_image="$(publish_image "$EDGE_IMAGE")"
  collector_image="$(publish_image "$COLLECTOR_IMAGE")"
  log "applying the platform's objects (rendered by libs/k8s-spec)"
  node "$MANIFESTS_CLI" \
    --namespace "$SYSTEM_NAMESPACE" --build-namespace "$BUILD_NAMESPACE" \
    --edge-image "$edge_image" --collector-image "$collector_image" \
    --edge-replicas 1 --edge-node-port "$EDGE_NODE_PORT" --image-pull-policy Always |
    kubectl apply --server-side --field-manager slipway-bootstrap --force-conflicts -f -
  if [ "$REUSED" = true ]; then
    # Same tags, maybe new images: start them again.
    kubectl -n "$SYSTEM_NAMESPACE" rollout restart deployment/slipway-edge deployment/slipway-collector
  fi

  # Secret values go through a file readable by this process only, never through argv.
  local env_file
  env_file="$(mktemp)"
  chmod 600 "$env_file"
  printf 'DATABASE_URL=%s\nREDIS_URL=%s\nSLIPWAY_SECRET_KEY=%s\n' \
    "$SLIPWAY_KIND_DATABASE_URL" "$SLIPWAY_KIND_REDIS_URL" "$SLIPWAY_SECRET_KEY" >"$env_file"
  kubectl -n "$SYSTEM_NAMESPACE" create secret generic slipway-config \
    --from-env-file "$env_file" --dry-run=client -o yaml | kubectl apply -f -
  rm -f "$env_file"
  # Kaniko's push credentials: none for the compose registry.
  kubectl -n "$BUILD_NAMESPACE" create secret generic slipway-registry \
    --type kubernetes.io/dockerconfigjson --from-literal '.dockerconfigjson={"auths":{}}' \
    --dry-run=client -o yaml | kubectl apply -f -
}

# The edge and collector become ready once the API (which starts after runtime.env) has
# migrated the database: waited for after, and only reported.
report_rollouts() {
  local deployment
  for deployment in slipway-collector slipway-edge; do
    kubectl -n "$SYSTEM_NAMESPACE" rollout status "deployment/$deployment" --timeout 300s ||
      log "deployment/$deployment is not ready yet: kubectl -n $SYSTEM_NAMESPACE describe deployment/$deployment"
  done
}

write_runtime_env() {
  cat >"$RUNTIME_ENV.tmp" <<EOF
SLIPWAY_RUNTIME=kubernetes
KUBECONFIG=$KUBECONFIG_FILE
SLIPWAY_K8S_SYSTEM_NAMESPACE=$SYSTEM_NAMESPACE
SLIPWAY_REGISTRY=$REGISTRY
SLIPWAY_REGISTRY_INSECURE=true
SLIPWAY_COLLECTOR_URL=http://slipway-collector.$SYSTEM_NAMESPACE.svc.cluster.local:4318
SLIPWAY_BUILD_DRIVER=kaniko
SLIPWAY_KANIKO_NAMESPACE=$BUILD_NAMESPACE
SLIPWAY_KANIKO_REGISTRY_SECRET=slipway-registry
SLIPWAY_KANIKO_INSECURE_REGISTRIES=$REGISTRY
SLIPWAY_KANIKO_EXECUTOR_IMAGE=$KANIKO_IMAGE
SLIPWAY_EDGE_RELAY=$CLUSTER-control-plane:$EDGE_NODE_PORT
EOF
  mv "$RUNTIME_ENV.tmp" "$RUNTIME_ENV"
}

main() {
  require_env SLIPWAY_KIND_DATABASE_URL SLIPWAY_KIND_REDIS_URL SLIPWAY_SECRET_KEY
  mkdir -p "$STATE_DIR"
  rm -f "$RUNTIME_ENV"
  trap shutdown TERM INT

  KIND_EXPERIMENTAL_DOCKER_NETWORK="$(own_network)"
  [ -n "$KIND_EXPERIMENTAL_DOCKER_NETWORK" ] || die "cannot tell this container's network"
  export KIND_EXPERIMENTAL_DOCKER_NETWORK

  create_cluster
  kind get kubeconfig --name "$CLUSTER" --internal >"$KUBECONFIG_FILE.tmp"
  chmod 600 "$KUBECONFIG_FILE.tmp"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  export KUBECONFIG="$KUBECONFIG_FILE"

  wire_registry
  apply_platform
  write_runtime_env
  kubectl get nodes -o wide
  log "ready: the API and builder run on the cluster $CLUSTER; services answer on localhost:${SLIPWAY_EDGE_PORT:-8000}"
  # In the background, so a stop signal is handled at once.
  report_rollouts &

  # Wait for the stop signal; `wait` returns as soon as the trap fires.
  sleep infinity &
  wait $!
}

main "$@"

# Image of one Slipway app (`APP`: api, builder, ...). The build context is the repository root:
#
#   docker build --build-arg APP=api -t slipway-api .
#   docker build --build-arg APP=builder -t slipway-builder .
#
# On a machine that cannot pull from a registry, import a stand-in base image first with
# scripts/make-local-node-image.sh and add `--build-arg NODE_IMAGE=slipway-local/node:20`.
# Works with the classic builder and with BuildKit.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG APP=api

# --- manifests: the lockfile and every workspace's package.json, nothing else --------------
# Copying the whole tree and pruning it keeps new workspaces working without editing this
# file; the layers that install dependencies below stay cached until a manifest changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN node -e ' \
  const fs = require("node:fs"), path = require("node:path"); \
  const keep = new Set(["package.json", "package-lock.json", ".npmrc"]); \
  const prune = (dir) => { \
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) { \
      const full = path.join(dir, entry.name); \
      if (entry.isDirectory()) { \
        prune(full); \
        if (fs.readdirSync(full).length === 0) fs.rmdirSync(full); \
      } else if (!keep.has(entry.name)) fs.rmSync(full); \
    } \
  }; \
  prune(".");'

# --- build: all dependencies, then every app and the workspace libraries they depend on ------
# Nothing here depends on APP until the last step, so the four images share these layers and
# a `docker compose build` installs and compiles once (a build arg declared earlier would
# give every RUN after it a cache key of its own).
FROM ${NODE_IMAGE} AS build
ENV TURBO_TELEMETRY_DISABLED=1 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY --from=manifests /src/ ./
# --ignore-scripts: no dependency needs an install script, and the root `prepare` script
# calls git, which the image does not have.
RUN npm ci --ignore-scripts
COPY . .
RUN npx turbo run build --filter=@slipway/api... --filter=@slipway/builder... \
      --filter=@slipway/collector... --filter=@slipway/edge... --filter=@slipway/web
ARG APP
# What the runtime needs from the build: the app's compiled code and base config (if any), the
# dashboard for the API, and the compiled workspace libraries (their package.json files come
# with the production install).
RUN mkdir -p /out \
 && tar -cf - apps/${APP}/dist $(ls -d apps/${APP}/config libs/*/dist 2>/dev/null) \
      $([ "$APP" = api ] && echo apps/web/dist) | tar -xf - -C /out

# --- prod-deps: the app's production dependencies only ---------------------------------------
# Workspace libraries the app depends on are linked as node_modules/@slipway/<name> ->
# ../../libs/<name>; the runtime stage fills those folders with their dist.
FROM ${NODE_IMAGE} AS prod-deps
ARG APP
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev --ignore-scripts --workspace @slipway/${APP} --include-workspace-root=false

# --- runtime -------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG APP
ENV NODE_ENV=production \
    PORT=3000 \
    SLIPWAY_APP=${APP}
WORKDIR /app
# Everything stays owned by root: the app runs as `node` and cannot modify its own code.
COPY --from=prod-deps /app/ ./
COPY --from=build /out/ ./
# docker-compose.yml starts the apps through it: it picks the docker or the kind mode.
COPY deploy/compose/entry.mjs ./deploy/compose/entry.mjs
# The edge is HAProxy programmed by the agent (Debian's packages). tini forwards signals and
# reaps HAProxy's parent-less processes after an agent restart.
# (A stand-in base image made by scripts/make-local-node-image.sh carries them already.)
RUN if [ "$APP" = edge ] && ! command -v haproxy >/dev/null; then \
      apt-get update \
      && apt-get install -y --no-install-recommends haproxy tini \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# The builder clones git repositories with git (Debian's, with its CA certificates).
RUN if [ "$APP" = builder ] && ! command -v git >/dev/null; then \
      apt-get update \
      && apt-get install -y --no-install-recommends git ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV SLIPWAY_EDGE_RUN_DIR=/tmp/slipway-edge
# The one directory the app writes (the API's source bundles; a volume in production).
ENV SLIPWAY_BLOB_DIR=/var/lib/slipway/bundles
RUN mkdir -p /var/lib/slipway/bundles && chown -R node:node /var/lib/slipway
# Fail the build, not the first start, when a runtime module is missing.
# (reflect-metadata first for the apps that use decorators; the collector does not.)
RUN node -e 'const app = `./apps/${process.env.SLIPWAY_APP}`; \
  if (require(`${app}/package.json`).dependencies["reflect-metadata"]) require("reflect-metadata"); \
  require(`${app}/dist/index.js`);'
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({ host: '127.0.0.1', port: process.env.PORT || 3000, path: '/healthz', timeout: 4000 }, (res) => process.exit(res.statusCode === 200 ? 0 : 1)).on('timeout', () => process.exit(1)).on('error', () => process.exit(1))"]
CMD ["sh", "-c", "if command -v tini >/dev/null; then set -- tini --; fi; exec \"$@\" node --enable-source-maps apps/${SLIPWAY_APP}/dist/main.js"]


/**
 * Entry point of the API, builder and edge containers in docker-compose.yml: runs the app in
 * the mode this `docker compose up` asked for.
 *
 * `docker compose --profile kind up` adds the `kind` service (deploy/kind/bootstrap.sh), which
 * creates a kind cluster and then writes the Kubernetes mode's settings to runtime.env. A
 * profile cannot change another service's settings, so the apps decide here:
 *
 *   node deploy/compose/entry.mjs --detect apps/api/dist/main.js
 *     The API and builder hold the Docker socket: when this compose project's `kind`
 *     container runs they wait for runtime.env and run with it; otherwise (none, or one an
 *     earlier kind run left stopped) they run as configured (the docker runtime) and the API
 *     removes a runtime.env left by a killed kind service.
 *   node deploy/compose/entry.mjs --follow apps/edge/dist/main.js
 *     The edge starts after the API is healthy, so runtime.env is decided by then: with it,
 *     host port 8000 is relayed to the cluster's edge (SLIPWAY_EDGE_RELAY); without, the edge
 *     runs as itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseEnv } from 'node:util';

const STATE_DIR = process.env.SLIPWAY_KIND_STATE_DIR ?? '/var/lib/slipway/kind';
const RUNTIME_ENV = `${STATE_DIR}/runtime.env`;
const WAIT_LOG_EVERY_MS = 10_000;
const KIND_START_GRACE_MS = 30_000;

const log = (message) => process.stderr.write(`compose-entry: ${message}\n`);

/** The id of this container's compose project's `kind` service container (any state), if any. */
export async function findKindService(docker, containerId = hostname()) {
  const self = await docker.getContainer(containerId).inspect();
  const project = self.Config.Labels?.['com.docker.compose.project'];
  if (project === undefined) return undefined;
  const containers = await docker.listContainers({
    all: true,
    filters: {
      label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=kind'],
    },
  });
  return containers[0]?.Id;
}

/** The settings in runtime.env, or undefined while it does not exist. */
export function readRuntimeEnv(file = RUNTIME_ENV) {
  return existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : undefined;
}

/**
 * The kind mode's settings once this run's kind service has written them, or undefined when
 * the project's kind container is one an earlier `--profile kind` run left stopped (it does
 * not start within KIND_START_GRACE_MS). Only a runtime.env written after the kind container
 * started counts: an older one belongs to a cluster that is gone.
 */
export async function kindModeSettings(
  kindService,
  { file = RUNTIME_ENV, graceMs = KIND_START_GRACE_MS, pollMs = 1000 } = {},
) {
  const started = Date.now();
  let running = false;
  let lastLog = started;
  for (;;) {
    const { State } = await kindService.inspect();
    if (State.Running) {
      running = true;
      const written = existsSync(file) ? statSync(file).mtimeMs : 0;
      const settings = written >= Date.parse(State.StartedAt) ? readRuntimeEnv(file) : undefined;
      if (settings) return settings;
    } else if (running) {
      throw new Error(
        `the kind service stopped (exit ${State.ExitCode}) before the cluster was ready: ` +
          'see `docker compose logs kind`',
      );
    } else if (Date.now() - started > graceMs) {
      return undefined;
    }
    if (Date.now() - lastLog >= WAIT_LOG_EVERY_MS) {
      lastLog = Date.now();
      const seconds = Math.round((lastLog - started) / 1000);
      log(`waiting for the kind cluster (${seconds} s; see \`docker compose logs kind\`)`);
    }
    await new Promise((done) => setTimeout(done, pollMs));
  }
}

/** HAProxy relaying TCP `port` to the cluster's edge, with the admin port's health answers. */
export function relayConfig(target, port = 8000, adminPort = 8001) {
  return [
    'global',
    '  log stderr format raw local0 warning',
    'resolvers docker',
    '  nameserver dns 127.0.0.11:53',
    '  hold valid 5s',
    'defaults',
    '  timeout connect 5s',
    '  timeout client 1h',
    '  timeout server 1h',
    'frontend relay',
    '  mode tcp',
    `  bind :${port}`,
    '  default_backend cluster_edge',
    'backend cluster_edge',
    '  mode tcp',
    `  server edge ${target} resolvers docker init-addr last,libc,none`,
    'frontend admin',
    '  mode http',
    `  bind :${adminPort}`,
    '  http-request return status 200 content-type text/plain string "ok" if { path /readyz } || { path /healthz }',
    '  http-request return status 404',
    '',
  ].join('\n');
}

function runRelay(target) {
  const file = `${process.env.TMPDIR ?? '/tmp'}/slipway-edge-relay.cfg`;
  const port = Number(process.env.EDGE_PORT ?? 8000);
  writeFileSync(file, relayConfig(target, port, Number(process.env.EDGE_ADMIN_PORT ?? 8001)));
  log(`kind mode: relaying :${port} to the cluster's edge at ${target}`);
  const haproxy = spawn('haproxy', ['-db', '-f', file], { stdio: 'inherit' });
  let stopping = false;
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      stopping = true;
      haproxy.kill(signal);
    });
  }
  haproxy.on('error', (error) => {
    log(`cannot start haproxy: ${error.message}`);
    process.exit(1);
  });
  // Stopped as asked is a clean exit; anything else is HAProxy's failure.
  haproxy.on('exit', (code) => process.exit(stopping ? 0 : (code ?? 1)));
}

async function runApp(app, settings) {
  if (settings) Object.assign(process.env, settings);
  await import(pathToFileURL(resolve(app)).href);
}

async function main([mode, app]) {
  if ((mode !== '--detect' && mode !== '--follow') || !app) {
    log('usage: entry.mjs --detect|--follow <app main.js>');
    process.exit(2);
  }
  if (mode === '--follow') {
    const relay = readRuntimeEnv()?.SLIPWAY_EDGE_RELAY;
    if (relay) return runRelay(relay);
    return runApp(app);
  }
  const { default: Docker } = await import('dockerode');
  const docker = new Docker();
  const kindService = await findKindService(docker);
  if (kindService !== undefined) {
    log('kind profile: waiting for the cluster before starting in Kubernetes mode');
    const settings = await kindModeSettings(docker.getContainer(kindService));
    if (settings) return runApp(app, settings);
    log('the kind container of an earlier --profile kind run is stopped: docker mode');
  }
  // Docker mode: a runtime.env here was left by a kind service that could not clean up.
  try {
    rmSync(RUNTIME_ENV, { force: true });
  } catch {
    // Read-only for the builder: the API removes it.
  }
  return runApp(app);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}

// What the deploy and wake benches share: the local API (as `npm run dev` runs it), the Docker
// CLI, and the baseline every start is measured against: `docker run` of the same image under
// the container contract, until its first HTTP 200.
import { execFileSync } from 'node:child_process';
import { request } from 'node:http';

export const API = process.env.SLIPWAY_API ?? 'http://127.0.0.1:3000';
export const TOKEN = process.env.SLIPWAY_TOKEN ?? 'slp_pat_local_dev_bootstrap_token_change_me';
export const BASE =
  process.env.SLIPWAY_BENCH_BASE_IMAGE ?? process.env.SLIPWAY_TEST_BASE_IMAGE ?? 'busybox:1.36';
export const NETWORK = process.env.SLIPWAY_DOCKER_NETWORK ?? 'slipway';
export const POLL_MS = 25;

export const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8' }).trim();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Nearest-rank percentile, 0 < p ≤ 1. */
export const percentile = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(p * xs.length) - 1)];

export async function api(method, path, body, headers = {}) {
  const res = await fetch(`${API}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.error)}`);
  return json.data;
}

export const postJson = (path, value) =>
  api('POST', path, JSON.stringify(value), { 'Content-Type': 'application/json' });

/** The bootstrap admin's default project. */
export async function defaultProject() {
  const orgs = await api('GET', '/v1/orgs');
  const org = orgs.find((o) => o.name === 'default');
  const projects = await api('GET', `/v1/projects?org_id=${org.id}`);
  return { orgId: org.id, projectId: projects.find((p) => p.name === 'default').id };
}

/** One GET: its status (0 when it failed to connect or timed out). */
export function statusOf({ host, port, path = '/', headers = {}, timeoutMs = 500 }) {
  return new Promise((resolve) => {
    const req = request({ host, port, path, headers, timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

export function ensureNetwork() {
  try {
    docker('network', 'inspect', NETWORK);
  } catch {
    docker('network', 'create', NETWORK);
  }
}

/** `docker run` of `image` as Slipway runs it, until its first 200; milliseconds. */
export async function coldDockerRun(image) {
  const started = performance.now();
  const id = docker(
    'run',
    '-d',
    '--network',
    NETWORK,
    '--user',
    '1000:1000',
    '--read-only',
    '--tmpfs',
    '/tmp:size=512m',
    '--init',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    image,
  );
  const ip = docker(
    'inspect',
    '-f',
    `{{(index .NetworkSettings.Networks "${NETWORK}").IPAddress}}`,
    id,
  );
  while ((await statusOf({ host: ip, port: 8080 })) !== 200) await sleep(POLL_MS);
  const elapsed = performance.now() - started;
  docker('rm', '-f', id);
  return elapsed;
}

/**
 * What the kind suites share: the built CLI logged in to the stack's API (a fresh HOME), an
 * organization Access Key, and requests through the edge on the host's port 8000.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, throughEdge, type Result } from '../support';

export const ROOT = join(__dirname, '..', '..', '..', '..');
const API_URL = process.env.SLIPWAY_KIND_API_URL ?? 'http://127.0.0.1:3000';
const EDGE_PORT = Number(process.env.SLIPWAY_KIND_EDGE_PORT ?? 8000);
const TOKEN = process.env.SLIPWAY_KIND_TOKEN ?? 'slp_pat_local_dev_bootstrap_token_change_me';
/** Distinguishes this run's services from an earlier run's on the same stack. */
export const SUFFIX = Date.now().toString(36);

export interface Service {
  id: string;
  hostname: string;
}

export interface KindCli {
  readonly home: string;
  /** An organization Access Key: it calls every private service of the suite. */
  readonly accessKey: string;
  slipway(args: string[]): Promise<Result>;
  /** Runs the CLI and fails with its stderr unless it exits 0; answers stdout. */
  ok(args: string[]): Promise<string>;
  /** `ok` with `--json`, parsed. */
  json<T>(args: string[]): Promise<T>;
}

/** Logs the CLI in for the calling file (the bootstrap token, the "default" project). */
export function useKindCli(): KindCli {
  let home = '';
  let accessKey = '';

  const slipway = (args: string[]): Promise<Result> => runCli(args, { home, timeoutMs: 1_800_000 });
  const ok = async (args: string[]): Promise<string> => {
    const result = await slipway(args);
    if (result.code !== 0)
      throw new Error(`slipway ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
    return result.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> =>
    JSON.parse(await ok([...args, '--json'])) as T;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'slipway-kind-e2e-'));
    await ok(['config', '--api-url', API_URL, '--token', TOKEN]);
    const projects = await json<{ id: string; name: string }[]>(['project', 'list']);
    const project = projects.find((p) => p.name === 'default');
    if (!project) throw new Error('the bootstrap organization has no "default" project');
    await ok(['project', 'set', '--id', project.id]);
    const key = await json<{ key: string }>(['access-key', 'create', '--name', `kind-${SUFFIX}`]);
    accessKey = key.key;
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  return {
    get home() {
      return home;
    },
    get accessKey() {
      return accessKey;
    },
    slipway,
    ok,
    json,
  };
}

export interface Answer {
  status: number;
  body: string;
}

/**
 * The edge's answer once it is `status` (and `body`, when given), or the last one after
 * `timeoutMs`: a route or its removal reaches the edge a moment after the change (a Redis
 * message), and the cluster's edge may still be starting.
 */
export async function answerOnce(
  host: string,
  path: string,
  headers: Record<string, string>,
  want: { status: number; body?: string },
  timeoutMs = 180_000,
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await throughEdge(EDGE_PORT, host, path, headers).catch(
      (error: Error): Answer => ({ status: 0, body: error.message }),
    );
    const matches = last.status === want.status && (want.body ?? last.body) === last.body;
    if (matches || Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

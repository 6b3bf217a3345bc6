import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildJobPayload } from '@slipway/contracts';
import { BuildFailedError } from '../drivers/build-driver';
import { BundleFetchError, fetchBundle } from './fetch-bundle';

const TOKEN = 'slp_bt_test-token-0123456789abcdef';
const CONTENT = randomBytes(64 * 1024);
const SHA256 = createHash('sha256').update(CONTENT).digest('hex');
/** How many /endless responses are still streaming; 'closed' is emitted as each ends. */
const endless = Object.assign(new EventEmitter(), { streaming: 0 });

/** Plays the API's internal bundle endpoint: one route per behaviour under test. */
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/bundle': (req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip' });
    // Two writes, so the body really streams.
    res.write(CONTENT.subarray(0, 1000));
    setTimeout(() => res.end(CONTENT.subarray(1000)), 10);
  },
  '/gone': (_req, res) => res.writeHead(410).end('used'),
  '/unavailable': (_req, res) => res.writeHead(503).end(),
  '/endless': (_req, res) => {
    // No content-length: the size is only found out while streaming.
    res.writeHead(200, { 'transfer-encoding': 'chunked' });
    endless.streaming += 1;
    const timer = setInterval(() => res.write(randomBytes(16 * 1024)), 1);
    res.on('close', () => {
      clearInterval(timer);
      endless.streaming -= 1;
      endless.emit('closed');
    });
  },
  '/reset': (req, res) => {
    res.writeHead(200, { 'content-length': String(CONTENT.length) });
    res.write(CONTENT.subarray(0, 100), () => req.socket.destroy());
  },
};

let server: Server;
let baseUrl: string;
let workDir: string;
const seenAuthorization: (string | undefined)[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuthorization.push(req.headers.authorization);
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  workDir = await mkdtemp(join(tmpdir(), 'slipway-fetch-'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

function bundle(path: string, overrides: Partial<BuildJobPayload['bundle']> = {}) {
  return {
    url: `${baseUrl}${path}`,
    token: TOKEN,
    sha256: SHA256,
    sizeBytes: CONTENT.length,
    ...overrides,
  };
}

const options = () => ({ maxBytes: 1024 * 1024, signal: new AbortController().signal });

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`not an Error: ${String(error)}`);
  expect(error.message).not.toContain(TOKEN);
  return error;
}

describe('fetchBundle', () => {
  it('streams the bundle to a file with the bearer token, and checks size and sha256', async () => {
    const dest = join(workDir, 'ok.tar.gz');

    const fetched = await fetchBundle(bundle('/bundle'), dest, options());

    expect(fetched).toEqual({ path: dest, bytes: CONTENT.length, sha256: SHA256 });
    expect((await readFile(dest)).equals(CONTENT)).toBe(true);
    expect(seenAuthorization.at(-1)).toBe(`Bearer ${TOKEN}`);
  });

  it('fails for good when the endpoint refuses the token (401)', async () => {
    const error = await failureOf(
      fetchBundle(
        bundle('/bundle', { token: 'slp_bt_wrong-token-000000000' }),
        join(workDir, 'x'),
        options(),
      ),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      'the source bundle is no longer available (the API answered 401 Unauthorized); deploy the source again',
    );
  });

  it.each([
    ['/gone', '410 Gone'],
    ['/missing', '404 Not Found'],
  ])('fails for good when the bundle is gone (%s)', async (path, status) => {
    const error = await failureOf(fetchBundle(bundle(path), join(workDir, 'x'), options()));
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toContain(`(the API answered ${status})`);
  });

  it('fails for good on a sha256 mismatch (corruption), saying both digests', async () => {
    const wrong = 'f'.repeat(64);
    const error = await failureOf(
      fetchBundle(bundle('/bundle', { sha256: wrong }), join(workDir, 'x'), options()),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      `the source bundle is corrupt: it does not match what was uploaded (sha256 ${SHA256}, ${wrong} recorded at upload)`,
    );
  });

  it('fails for good on a size mismatch', async () => {
    const error = await failureOf(
      fetchBundle(
        bundle('/bundle', { sizeBytes: CONTENT.length + 1 }),
        join(workDir, 'x'),
        options(),
      ),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toContain(
      `(${CONTENT.length} bytes received, ${CONTENT.length + 1} recorded at upload)`,
    );
  });

  it('refuses a bundle over the limit before downloading it', async () => {
    const before = seenAuthorization.length;
    const error = await failureOf(
      fetchBundle(bundle('/bundle'), join(workDir, 'x'), { ...options(), maxBytes: 1024 }),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      'the source bundle is larger than this builder accepts (64 KiB > 1 KiB, SLIPWAY_BUNDLE_MAX_BYTES)',
    );
    expect(seenAuthorization.length).toBe(before);
  });

  it('stops a download that grows past the limit', async () => {
    const limit = 256 * 1024;
    const error = await failureOf(
      fetchBundle(bundle('/endless', { sizeBytes: limit }), join(workDir, 'x'), {
        ...options(),
        maxBytes: limit,
      }),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      'the source bundle is larger than this builder accepts (more than 256 KiB, SLIPWAY_BUNDLE_MAX_BYTES)',
    );
  });

  it('stops a download that grows past the size recorded at upload', async () => {
    const error = await failureOf(
      fetchBundle(bundle('/endless', { sizeBytes: 100 }), join(workDir, 'x'), options()),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect(error.message).toBe(
      'the source bundle is corrupt: it does not match what was uploaded (more than the 100 bytes recorded at upload)',
    );
  });

  it('leaves an API outage (503) and a dropped connection retryable', async () => {
    const outage = await failureOf(
      fetchBundle(bundle('/unavailable'), join(workDir, 'x'), options()),
    );
    expect(outage).toBeInstanceOf(BundleFetchError);
    expect(outage.message).toBe(
      'fetching the source bundle failed: the API answered 503 Service Unavailable',
    );

    const reset = await failureOf(fetchBundle(bundle('/reset'), join(workDir, 'y'), options()));
    expect(reset).toBeInstanceOf(BundleFetchError);
    expect(reset.message).toMatch(/^fetching the source bundle failed: /);
  });

  it('stops when the build is aborted', async () => {
    const controller = new AbortController();
    const pending = fetchBundle(
      bundle('/endless', { sizeBytes: 10 * 1024 * 1024 }),
      join(workDir, 'z'),
      {
        maxBytes: 10 * 1024 * 1024,
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(new Error('build timed out')), 20);
    // Causes, not wall-clock time (a loaded machine may pause this process for seconds): the
    // download rejects with the abort's reason (the 10 MiB cap would give another), and
    // the connection is closed, so the server stops streaming.
    await expect(pending).rejects.toThrow('build timed out');
    while (endless.streaming > 0) await once(endless, 'closed');
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  HAPROXY_KEY_ENV,
  type HaproxySettings,
  bufferSizeFor,
  errorBodyFormat,
  renderHaproxyConfig,
} from './haproxy-config';
import { HOP_BY_HOP_LUA, errorFiles } from './haproxy-files';
import { edgeErrors } from '../http/edge-error';
import { MAP_NAMES, mapPaths } from './maps';

const run = promisify(execFile);

function settings(dir: string, overrides: Partial<HaproxySettings> = {}): HaproxySettings {
  return {
    bind: { host: '127.0.0.1', port: 18_000 },
    maps: mapPaths(dir),
    sockets: {
      admin: join(dir, 'admin.sock'),
      accessLog: join(dir, 'log.sock'),
      exchange: join(dir, 'exchange.sock'),
      wake: join(dir, 'wake.sock'),
    },
    luaFile: join(dir, 'hop.lua'),
    errorFileDir: join(dir, 'errors'),
    threads: 1,
    maxConnections: 0,
    trustProxy: false,
    maxBodyBytes: 1024 * 1024 * 1024,
    maxHeaderBytes: 16 * 1024,
    connectTimeoutMs: 5000,
    responseTimeoutMs: 60_000,
    websocketIdleTimeoutMs: 300_000,
    wakeTimeoutMs: 60_000,
    drainTimeoutMs: 10_000,
    accessLogRingBytes: 1024 * 1024,
    ...overrides,
  };
}

describe('renderHaproxyConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slp-cfg-'));
    await mkdir(join(dir, 'errors'));
    for (const name of MAP_NAMES) await writeFile(join(dir, `${name}.map`), '');
    await writeFile(join(dir, 'hop.lua'), HOP_BY_HOP_LUA);
    for (const [name, text] of Object.entries(errorFiles())) {
      await writeFile(join(dir, 'errors', name), text);
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function check(config: string): Promise<string> {
    const file = join(dir, 'haproxy.cfg');
    await writeFile(file, config);
    const { stdout, stderr } = await run('haproxy', ['-c', '-f', file], {
      env: {
        PATH: process.env.PATH,
        [HAPROXY_KEY_ENV.credential]: 'a2V5',
        [HAPROXY_KEY_ENV.edgeToken]: 'a2V5',
      },
    });
    return `${stdout}${stderr}`;
  }

  it.each([
    ['the defaults', {}],
    [
      'a trusted proxy in front, a small body limit and a connection cap',
      { trustProxy: true, maxBodyBytes: 1024, maxConnections: 100 },
    ],
  ])('renders a config haproxy -c accepts without a warning: %s', async (_name, overrides) => {
    const output = await check(renderHaproxyConfig(settings(dir, overrides)));
    expect(output).toContain('Configuration file is valid');
    expect(output).not.toMatch(/WARNING|ALERT/);
  });

  it('keeps the X-Forwarded-* of a trusted proxy, the client address appended', () => {
    const trusted = renderHaproxyConfig(settings(dir, { trustProxy: true }));
    expect(trusted).not.toContain('option forwardfor');
    expect(trusted).not.toContain('|x-forwarded-for');
    expect(trusted).toContain(
      'http-request set-header X-Forwarded-For "%[req.fhdr(x-forwarded-for)], %[src]"',
    );
  });

  it('never holds a secret: the derived keys come from the environment', () => {
    const config = renderHaproxyConfig(settings(dir));
    expect(config).toContain(`str("\${${HAPROXY_KEY_ENV.credential}}")`);
    expect(config).not.toMatch(/SLIPWAY_SECRET_KEY/);
  });

  it('waits for a chunked body only when the limit fits in a buffer', () => {
    expect(renderHaproxyConfig(settings(dir, { maxBodyBytes: 1024 }))).toContain(
      'wait-for-body time 5s at-least 1025',
    );
    expect(renderHaproxyConfig(settings(dir))).not.toContain('wait-for-body');
  });

  it("sends a sleeping service's requests to the agent after every check and header clean-up", () => {
    const config = renderHaproxyConfig(settings(dir, { wakeTimeoutMs: 30_000 }));
    const at = (text: string): number => {
      const index = config.indexOf(text);
      expect(index).toBeGreaterThan(-1);
      return index;
    };
    const toAgent = at('use_backend wake if sleeping');
    for (const checked of [
      edgeErrors.invalidKey().message,
      edgeErrors.forbidden().message,
      edgeErrors.invalidSession().message,
      'http-request set-header X-Request-Id %[var(txn.rid)]',
      // A paused (deleted, never deployed) service is answered by its own backend, chosen first.
      'use_backend unavailable if unavailable',
    ]) {
      expect(at(checked)).toBeLessThan(toAgent);
    }
    const unavailable = config.slice(at('backend unavailable\n'));
    for (const error of [edgeErrors.paused(), edgeErrors.deleted(), edgeErrors.notDeployed()]) {
      expect(unavailable).toContain(error.message);
    }
    // The wake backend cleans the request up as the instances' backend does, before the agent.
    const wake = config.slice(at('backend wake\n'));
    const wakeRules = wake.slice(0, wake.indexOf('server agent'));
    const servicesRules = config.slice(at('backend services\n'), at('server instance'));
    for (const cleanUp of [
      'http-request del-header ^(?:authorization|proxy-authorization|',
      '|x-forwarded-for|x-forwarded-proto|x-forwarded-host)$ -m reg\n',
      'option forwardfor\n',
      'http-request add-header X-Forwarded-Proto http\n',
      // Counted once admitted, in the backends that serve: past every check and state answer.
      'http-request track-sc0 var(txn.svc) table activity\n',
    ]) {
      expect(wakeRules).toContain(cleanUp);
      expect(servicesRules).toContain(cleanUp);
    }
    expect(config.slice(0, at('backend services\n'))).not.toContain('track-sc0');
    expect(unavailable).not.toContain('track-sc0');
    // HAProxy waits longer than the agent holds a request and the instance then answers.
    expect(config).toMatch(/backend wake\n(?:.*\n)*? {2}timeout server 95000ms\n/);
    expect(config).toContain('store conn_cur,http_req_cnt');
  });

  it('sizes buffers for twice the largest head', () => {
    expect(bufferSizeFor(2048)).toBe(16 * 1024);
    expect(bufferSizeFor(64 * 1024)).toBe(129 * 1024);
  });

  it('writes error bodies in the platform shape with HAProxy filling the request id', () => {
    const format = errorBodyFormat(edgeErrors.forbidden());
    expect(format).toBe(
      '{"error":{"code":"forbidden","message":"This Access Key cannot call this service","request_id":"%[var(txn.rid)]"}}',
    );
    const file = errorFiles()['400.http'];
    const body = file.split('\r\n\r\n')[1] ?? '';
    expect(JSON.parse(body)).toEqual({
      error: { code: 'bad_request', message: expect.any(String), request_id: 'none' },
    });
    expect(file).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
  });
});

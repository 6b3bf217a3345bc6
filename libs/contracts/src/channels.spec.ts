import {
  BuildLogEntrySchema,
  CHANNELS,
  EdgeActivitySchema,
  WakeRequestSchema,
  edgeActivityKey,
  RevocationMessageSchema,
  RouteMessageSchema,
  buildLogStreamKey,
} from './channels';
import { QUEUES, deploymentJobId } from './queues';
import { otlpHeadersFor } from './telemetry';

describe('channel and queue names', () => {
  it('are distinct and namespaced', () => {
    const channels = Object.values(CHANNELS);
    expect(new Set(channels).size).toBe(channels.length);
    for (const channel of channels) expect(channel).toMatch(/^slipway:/);
    for (const queue of Object.values(QUEUES)) expect(queue).not.toContain(':');
  });

  it('derive per-deployment keys and job ids', () => {
    expect(buildLogStreamKey('dep-1')).toBe('slipway:build-logs:dep-1');
    expect(deploymentJobId('build', 'dep-1')).toBe('build-dep-1');
    expect(() => deploymentJobId('deploy', 'a:b')).toThrow('deploymentId');
    expect(() => buildLogStreamKey('')).toThrow('deploymentId');
  });
});

describe('channel messages', () => {
  it('parse route upserts and deletes', () => {
    const upsert = {
      type: 'upsert',
      serviceId: 's',
      projectId: 'p',
      orgId: 'o',
      hostnames: ['web-abc.localhost'],
      accessType: 'private',
      endpoints: [{ host: '10.0.0.7', port: 8080 }],
      version: 1,
    };
    expect(RouteMessageSchema.parse(upsert)).toEqual(upsert);
    expect(RouteMessageSchema.parse({ type: 'delete', serviceId: 's', version: 2 }).type).toBe(
      'delete',
    );
    expect(RouteMessageSchema.safeParse({ ...upsert, hostnames: [] }).success).toBe(false);
    expect(RouteMessageSchema.safeParse({ ...upsert, type: 'move' }).success).toBe(false);
  });

  it('parse revocations and build log entries', () => {
    const at = '2026-01-02T03:04:05.000Z';
    expect(RevocationMessageSchema.safeParse({ id: 'k1', revokedAt: at }).success).toBe(true);
    expect(RevocationMessageSchema.safeParse({ id: 'k1', revokedAt: 'yesterday' }).success).toBe(
      false,
    );
    expect(BuildLogEntrySchema.safeParse({ line: 'Step 1/3', stream: 'stdout', at }).success).toBe(
      true,
    );
    expect(BuildLogEntrySchema.safeParse({ line: 'x', stream: 'tty', at }).success).toBe(false);
  });
});

describe('otlpHeadersFor', () => {
  it('percent-encodes the space so SDKs decode "Authorization: Bearer <token>"', () => {
    const value = otlpHeadersFor('slp_st_abc');
    expect(value).toBe('Authorization=Bearer%20slp_st_abc');
    const [key, encoded] = value.split('=');
    expect(key).toBe('Authorization');
    expect(decodeURIComponent(encoded ?? '')).toBe('Bearer slp_st_abc');
  });
});

describe('scale-to-zero messages', () => {
  it('parse wake requests and edge activity, and refuse what is not', () => {
    const wake = { serviceId: 's', at: '2026-12-06T10:00:00.000Z' };
    expect(WakeRequestSchema.parse(wake)).toEqual(wake);
    expect(WakeRequestSchema.safeParse({ serviceId: 's' }).success).toBe(false);
    expect(EdgeActivitySchema.parse({ inFlight: 3, lastRequestAt: 1 })).toEqual({
      inFlight: 3,
      lastRequestAt: 1,
    });
    expect(EdgeActivitySchema.safeParse({ inFlight: -1, lastRequestAt: 1 }).success).toBe(false);
    expect(EdgeActivitySchema.safeParse({ inFlight: 1.5, lastRequestAt: 1 }).success).toBe(false);
  });

  it('name an edge activity hash by edge id, a short token only', () => {
    expect(edgeActivityKey('edge-1.host_2')).toBe('slipway:edge-activity:edge-1.host_2');
    expect(() => edgeActivityKey('a:b')).toThrow('edgeId');
    expect(() => edgeActivityKey('')).toThrow('edgeId');
  });
});

import { accessLogLine, pathOf, userAgentOf } from './access-log-store';

const row = {
  time: new Date('2026-11-22T10:00:00.123Z'),
  serviceId: '6f1c1f43-55a2-4d5b-9a55-0d7e5f1a2b3c',
  method: 'GET',
  path: '/orders',
  status: 200,
  durationMs: 1.5,
  bytesIn: 0,
  bytesOut: 1024.4,
  clientIp: '127.0.0.1',
  userAgent: 'curl/8',
  requestId: 'req-1',
};

describe('accessLogLine', () => {
  it('writes one line of COPY text, columns in table order, byte counts whole', () => {
    expect(accessLogLine(row)).toBe(
      '2026-11-22T10:00:00.123Z\t6f1c1f43-55a2-4d5b-9a55-0d7e5f1a2b3c\tGET\t/orders\t200\t1.5\t0\t1024\t127.0.0.1\tcurl/8\treq-1\n',
    );
  });

  it('writes each time as toISOString does, within a second and across seconds', () => {
    const times = [
      '2026-11-22T10:00:00.000Z',
      '2026-11-22T10:00:00.007Z',
      '2026-11-22T10:00:00.042Z',
      '2026-11-22T10:00:00.999Z',
      '2026-11-22T10:00:01.100Z',
      '2026-11-22T09:59:59.500Z',
    ];
    for (const time of times) {
      expect(accessLogLine({ ...row, time: new Date(time) }).split('\t')[0]).toBe(time);
    }
  });

  it('escapes what COPY reads specially and writes NULL as \\N', () => {
    const line = accessLogLine({
      ...row,
      path: '/a\\b',
      userAgent: 'x\ty\nz\r\\N',
      clientIp: null,
    });
    const fields = line.slice(0, -1).split('\t');
    expect(fields[3]).toBe('/a\\\\b');
    expect(fields[8]).toBe('\\N');
    expect(fields[9]).toBe('x\\ty\\nz\\r\\\\N');
    expect(line.split('\n')).toHaveLength(2);
  });

  it('leaves out NUL, which PostgreSQL text cannot hold, and caps long values', () => {
    expect(pathOf('/a\u0000b?token=secret')).toBe('/ab');
    expect(pathOf(`/${'p'.repeat(5000)}`)).toHaveLength(2048);
    expect(userAgentOf('')).toBeNull();
    expect(userAgentOf('u'.repeat(600))).toHaveLength(512);
  });
});

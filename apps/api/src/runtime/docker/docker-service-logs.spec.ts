import { ServiceLogCollector } from '../service-logs';
import { collectLog } from './docker-service-logs';

/** One frame of a multiplexed (non-TTY) log answer: stream type, 3 zero bytes, length, payload. */
function frame(stream: 1 | 2, payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('collectLog (docker answers with timestamps)', () => {
  it('reads stdout and stderr frames of a container without a TTY as timestamped lines', () => {
    const collector = new ServiceLogCollector({ limit: 10 });
    const history = Buffer.concat([
      frame(1, '2026-01-01T10:00:00.000000001Z listening on :8080\n'),
      frame(2, '2026-01-01T10:00:00.500000000Z warning: no cache\n'),
      frame(1, '2026-01-01T10:00:01.000000000Z GET / 200\n'),
    ]);
    collectLog(collector.instance('slp-web-0'), history, false);
    expect(collector.lines()).toEqual([
      {
        instance: 'slp-web-0',
        timestamp: new Date('2026-01-01T10:00:00.000Z'),
        message: 'listening on :8080',
      },
      {
        instance: 'slp-web-0',
        timestamp: new Date('2026-01-01T10:00:00.500Z'),
        message: 'warning: no cache',
      },
      {
        instance: 'slp-web-0',
        timestamp: new Date('2026-01-01T10:00:01.000Z'),
        message: 'GET / 200',
      },
    ]);
  });

  it('reads the raw text of a container with a TTY', () => {
    const collector = new ServiceLogCollector({ limit: 10 });
    const history = Buffer.from(
      '2026-01-01T10:00:00.000000000Z one\r\n2026-01-01T10:00:01.000000000Z two\n',
    );
    collectLog(collector.instance('slp-tty-0'), history, true);
    expect(collector.lines().map((l) => l.message)).toEqual(['one', 'two']);
  });

  it('merges two containers by time and keeps the newest lines', () => {
    const collector = new ServiceLogCollector({ limit: 3 });
    collectLog(
      collector.instance('slp-web-0'),
      Buffer.concat(
        [0, 2, 4].map((s) => frame(1, `2026-01-01T10:00:0${s}.000000000Z zero ${s}\n`)),
      ),
      false,
    );
    collectLog(
      collector.instance('slp-web-1'),
      Buffer.concat([1, 3, 5].map((s) => frame(1, `2026-01-01T10:00:0${s}.000000000Z one ${s}\n`))),
      false,
    );
    expect(collector.lines().map((l) => `${l.instance}: ${l.message}`)).toEqual([
      'slp-web-1: one 3',
      'slp-web-0: zero 4',
      'slp-web-1: one 5',
    ]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogReceiver, OctetCountingDecoder } from './log-receiver';

describe('OctetCountingDecoder', () => {
  function frames(chunks: string[]): string[] {
    const decoder = new OctetCountingDecoder();
    const out: string[] = [];
    for (const chunk of chunks) decoder.push(Buffer.from(chunk), (text) => out.push(text));
    return out;
  }

  it('splits frames, within and across chunks, multi-byte text included', () => {
    const é = 'é'; // two bytes in UTF-8
    expect(frames([`3 abc4 d${é}\n`])).toEqual(['abc', `d${é}`]);
    expect(frames(['1', '0 0123', '456789', '2 x'])).toEqual(['0123456789']);
    expect(frames(['5 a\tb\nc', '1 z'])).toEqual(['a\tb\nc', 'z']);
  });

  it('refuses a stream that is not octet-counted', () => {
    expect(() => frames(['hello world'])).toThrow(/octet-counted/);
  });
});

describe('LogReceiver', () => {
  it('receives every line, in order, from bursts larger than one read and from single lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-receiver-'));
    const lines: string[] = [];
    const errors: Error[] = [];
    const receiver = new LogReceiver(
      join(dir, 'log.sock'),
      (line) => lines.push(line),
      (error) => errors.push(error),
    );
    await receiver.listen();
    const socket = connect(join(dir, 'log.sock'));
    try {
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      const frame = (n: number): string => {
        const text = `line ${n} ${'x'.repeat(100)}\n`;
        return `${Buffer.byteLength(text)} ${text}`;
      };
      // About 600 KB at once: several full reads in a row, then the pause.
      socket.write(Array.from({ length: 5000 }, (_, n) => frame(n)).join(''));
      // Deadlines far past the milliseconds this takes: a busy machine may pause the test.
      await receiver.receivedAtLeast(5000, 30_000);
      // Then one line at a time, each arriving while the receiver may be paused.
      for (let n = 5000; n < 5005; n += 1) {
        socket.write(frame(n));
        await receiver.receivedAtLeast(n + 1, 30_000);
      }
      expect(errors).toEqual([]);
      expect(receiver.received).toBe(5005);
      expect(lines.map((line) => Number(line.split(' ')[1]))).toEqual(
        Array.from({ length: 5005 }, (_, n) => n),
      );
    } finally {
      socket.destroy();
      await receiver.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

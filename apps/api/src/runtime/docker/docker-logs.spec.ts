import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { DockerLogDemuxer, demuxLogBuffer } from './docker-logs';

function frame(stream: 1 | 2, payload: string): Buffer {
  const body = Buffer.from(payload);
  const header = Buffer.alloc(8);
  header.writeUInt8(stream, 0);
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('docker log demultiplexing', () => {
  const multiplexed = Buffer.concat([
    frame(1, 'out 1\n'),
    frame(2, 'err 1\n'),
    frame(1, 'out 2\n'),
  ]);

  it('merges stdout and stderr frames of a complete buffer in order', () => {
    expect(demuxLogBuffer(multiplexed).toString()).toBe('out 1\nerr 1\nout 2\n');
  });

  it('reassembles frames split across chunks at any byte', async () => {
    for (const cut of [1, 3, 8, 9, 15, 20]) {
      const chunks = [multiplexed.subarray(0, cut), multiplexed.subarray(cut)];
      const output = Readable.from(chunks).pipe(new DockerLogDemuxer());
      await expect(text(output)).resolves.toBe('out 1\nerr 1\nout 2\n');
    }
  });

  it('ignores a truncated trailing frame', () => {
    expect(
      demuxLogBuffer(Buffer.concat([frame(1, 'a\n'), frame(1, 'bcd').subarray(0, 9)])).toString(),
    ).toBe('a\n');
  });
});

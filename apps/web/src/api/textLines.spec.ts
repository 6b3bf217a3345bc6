import { describe, expect, it } from 'vitest';
import { readLines } from './textLines';

const streamOf = (...chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

const bytes = (text: string) => new TextEncoder().encode(text);

async function collect(stream: ReadableStream<Uint8Array>, signal?: AbortSignal) {
  const batches: string[][] = [];
  await readLines(stream, (lines) => batches.push(lines), signal);
  return batches;
}

describe('readLines', () => {
  it('hands over the complete lines of each chunk, keeping a split line for the next', async () => {
    const batches = await collect(streamOf(bytes('one\ntw'), bytes('o\nthree\n')));
    expect(batches).toEqual([['one'], ['two', 'three']]);
  });

  it('ends with the last line even without a newline, and drops carriage returns', async () => {
    expect(await collect(streamOf(bytes('a\r\nb')))).toEqual([['a'], ['b']]);
  });

  it('decodes a UTF-8 character split across two chunks', async () => {
    const snowman = bytes('☃\n');
    expect(await collect(streamOf(snowman.slice(0, 2), snowman.slice(2)))).toEqual([['☃']]);
  });

  it('cancels the stream when the signal aborts, and reads no further', async () => {
    let cancelled = false;
    const abort = new AbortController();
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(bytes('first\n')),
      cancel: () => {
        cancelled = true;
      },
    });
    const batches: string[][] = [];
    const reading = readLines(
      stream,
      (lines) => {
        batches.push(lines);
        abort.abort();
      },
      abort.signal,
    );
    await reading;
    expect(batches).toEqual([['first']]);
    expect(cancelled).toBe(true);
  });
});

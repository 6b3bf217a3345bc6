import { BatchWriter } from './batch-writer';

interface Harness {
  writer: BatchWriter<number>;
  written: number[][];
  dropped: number[];
  errors: unknown[];
  /** Makes the next writes fail until set back to false. */
  failing: { value: boolean };
}

function harness(capacity: number, batchSize: number): Harness {
  const written: number[][] = [];
  const dropped: number[] = [];
  const errors: unknown[] = [];
  const failing = { value: false };
  const writer = new BatchWriter<number>({
    capacity,
    batchSize,
    write: (rows) => {
      if (failing.value) return Promise.reject(new Error('database down'));
      written.push([...rows]);
      return Promise.resolve();
    },
    onDrop: (count) => dropped.push(count),
    onError: (error) => errors.push(error),
  });
  return { writer, written, dropped, errors, failing };
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('BatchWriter', () => {
  it('writes what is queued in batches of at most batchSize, oldest first', async () => {
    const h = harness(100, 4);
    for (const n of range(1, 10)) h.writer.push(n);
    await h.writer.flush();
    expect(h.written).toEqual([range(1, 4), range(5, 8), [9, 10]]);
    expect(h.writer.size).toBe(0);
    expect(h.dropped).toEqual([]);
  });

  it('drops the oldest rows beyond its bound and counts them', async () => {
    const h = harness(5, 10);
    for (const n of range(1, 8)) h.writer.push(n);
    expect(h.writer.size).toBe(5);
    expect(h.dropped.reduce((a, b) => a + b, 0)).toBe(3);
    await h.writer.flush();
    expect(h.written).toEqual([range(4, 8)]);
  });

  it('keeps a failed batch in front of newer rows, within the bound, and retries it', async () => {
    const h = harness(6, 3);
    for (const n of range(1, 5)) h.writer.push(n);
    h.failing.value = true;
    await h.writer.flush();
    expect(h.errors).toHaveLength(1);
    expect(h.writer.size).toBe(5);
    // The database stays down while traffic continues: the oldest rows make room.
    for (const n of range(6, 9)) h.writer.push(n);
    expect(h.writer.size).toBe(6);
    expect(h.dropped.reduce((a, b) => a + b, 0)).toBe(3);
    h.failing.value = false;
    await h.writer.flush();
    expect(h.written.flat()).toEqual(range(4, 9));
  });

  it('drops the oldest rows of a failed batch that no longer fit', async () => {
    let fail: () => void = () => undefined;
    let slow = true;
    const written: number[][] = [];
    const dropped: number[] = [];
    const writer = new BatchWriter<number>({
      capacity: 4,
      batchSize: 4,
      write: (rows) => {
        if (slow)
          return new Promise<void>(
            (_resolve, reject) => (fail = () => reject(new Error('timeout'))),
          );
        written.push([...rows]);
        return Promise.resolve();
      },
      onDrop: (count) => dropped.push(count),
      onError: () => undefined,
    });
    for (const n of range(1, 4)) writer.push(n);
    const flushing = writer.flush();
    // While the slow write is in flight, three newer rows arrive; then it fails.
    for (const n of range(5, 7)) writer.push(n);
    fail();
    await flushing;
    expect(writer.size).toBe(4);
    expect(dropped).toEqual([3]);
    slow = false;
    await writer.flush();
    expect(written).toEqual([range(4, 7)]);
  });

  it('never lets push wait on a write in flight', async () => {
    let finish: () => void = () => undefined;
    const writes: number[][] = [];
    const writer = new BatchWriter<number>({
      capacity: 10,
      batchSize: 10,
      write: (rows) => {
        writes.push([...rows]);
        // Only the first write is slow.
        if (writes.length > 1) return Promise.resolve();
        return new Promise<void>((resolve) => (finish = resolve));
      },
      onDrop: () => undefined,
      onError: () => undefined,
    });
    writer.push(1);
    const first = writer.flush();
    expect(writer.flush()).toBe(first); // one write in flight at a time
    writer.push(2);
    expect(writer.size).toBe(1);
    finish();
    await first;
    await writer.flush();
    expect(writes).toEqual([[1], [2]]);
  });

  describe('items holding several rows (rowsOf)', () => {
    /** Each item is a block of row numbers. */
    function blocks(capacity: number, batchSize: number) {
      const written: number[][][] = [];
      const dropped: number[] = [];
      const failing = { value: false };
      const writer = new BatchWriter<number[]>({
        capacity,
        batchSize,
        rowsOf: (block) => block.length,
        write: (items) => {
          if (failing.value) return Promise.reject(new Error('database down'));
          written.push(items.map((block) => [...block]));
          return Promise.resolve();
        },
        onDrop: (count) => dropped.push(count),
        onError: () => undefined,
      });
      return { writer, written, dropped, failing };
    }

    it('bounds and batches by rows, not items', async () => {
      const h = blocks(10, 5);
      h.writer.push(range(1, 3));
      h.writer.push(range(4, 6));
      h.writer.push(range(7, 9));
      expect(h.writer.size).toBe(9);
      h.writer.push(range(10, 12)); // 12 rows > 10: the oldest block goes
      expect(h.writer.size).toBe(9);
      expect(h.dropped).toEqual([3]);
      await h.writer.flush();
      // At most 5 rows per write, but never less than one block.
      expect(h.written).toEqual([[range(4, 6)], [range(7, 9)], [range(10, 12)]]);
    });

    it('puts a failed batch back within the bound, dropping its oldest rows first', async () => {
      const h = blocks(8, 8);
      h.writer.push(range(1, 4));
      h.writer.push(range(5, 8));
      h.failing.value = true;
      await h.writer.flush();
      expect(h.writer.size).toBe(8);
      h.writer.push(range(9, 12)); // full: drops the oldest block
      expect(h.dropped).toEqual([4]);
      h.failing.value = false;
      await h.writer.flush();
      expect(h.written).toEqual([[range(5, 8), range(9, 12)]]);
    });

    it('drops at once a block larger than the whole bound', () => {
      const h = blocks(3, 3);
      h.writer.push(range(1, 4));
      expect(h.writer.size).toBe(0);
      expect(h.dropped).toEqual([4]);
    });
  });
});

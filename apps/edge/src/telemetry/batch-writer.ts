/**
 * A bounded in-memory queue drained in batches by a writer (a multi-row INSERT). Recording
 * never waits: when the writer is slow or failing, the queue fills, and past its bound the
 * oldest rows are dropped and counted, so memory stays bounded whatever the database does.
 */
export interface BatchWriterOptions<T> {
  /** Most rows held; beyond it the oldest are dropped. */
  readonly capacity: number;
  /** Most rows per write. */
  readonly batchSize: number;
  /** Writes one batch; a rejection puts the batch back (oldest first) to be retried. */
  readonly write: (rows: readonly T[]) => Promise<void>;
  /** Called with how many rows were dropped, each time some are. */
  readonly onDrop: (count: number) => void;
  /** Called when a write fails (the rows are kept, within the bound). */
  readonly onError: (error: unknown) => void;
}

export class BatchWriter<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: BatchWriterOptions<T>) {
    this.slots = new Array<T | undefined>(options.capacity);
  }

  /** Rows waiting to be written. */
  get size(): number {
    return this.count;
  }

  /** Queues a row; O(1), never waits. Drops the oldest row when full. */
  push(row: T): void {
    const capacity = this.slots.length;
    if (this.count === capacity) {
      this.slots[this.head] = row;
      this.head = (this.head + 1) % capacity;
      this.options.onDrop(1);
      return;
    }
    this.slots[(this.head + this.count) % capacity] = row;
    this.count += 1;
  }

  /**
   * Writes what is queued now, batch after batch; stops at the first failure (the rest waits
   * for the next call). Concurrent calls share one run, so one write is in flight at a time.
   */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async drain(): Promise<void> {
    // Bounded by what was queued at the start: rows recorded meanwhile wait for the next tick.
    let budget = this.count;
    while (budget > 0 && this.count > 0) {
      const batch = this.take(Math.min(this.options.batchSize, budget));
      budget -= batch.length;
      try {
        await this.options.write(batch);
      } catch (error) {
        this.restore(batch);
        this.options.onError(error);
        return;
      }
    }
  }

  private take(wanted: number): T[] {
    const capacity = this.slots.length;
    const rows: T[] = [];
    while (rows.length < wanted && this.count > 0) {
      rows.push(this.slots[this.head] as T);
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % capacity;
      this.count -= 1;
    }
    return rows;
  }

  /** Puts a failed batch back in front of newer rows; what no longer fits (its oldest) is dropped. */
  private restore(batch: readonly T[]): void {
    const capacity = this.slots.length;
    const room = capacity - this.count;
    const kept = batch.slice(Math.max(0, batch.length - room));
    for (let i = kept.length - 1; i >= 0; i -= 1) {
      this.head = (this.head - 1 + capacity) % capacity;
      this.slots[this.head] = kept[i];
      this.count += 1;
    }
    if (kept.length < batch.length) this.options.onDrop(batch.length - kept.length);
  }
}

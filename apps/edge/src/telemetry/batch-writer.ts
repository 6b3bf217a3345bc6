/**
 * A bounded in-memory queue drained in batches by a writer (a COPY or a multi-row INSERT).
 * Recording never waits: when the writer is slow or failing, the queue fills, and past its
 * bound the oldest rows are dropped and counted, so memory stays bounded whatever the
 * database does. An item may hold several rows (`rowsOf`): a block of access-log lines.
 */
export interface BatchWriterOptions<T> {
  /** Most rows held; beyond it the oldest items are dropped. */
  readonly capacity: number;
  /** Most rows per write (at least one item). */
  readonly batchSize: number;
  /** How many rows an item holds. @default 1 */
  readonly rowsOf?: (item: T) => number;
  /** Writes one batch; a rejection puts the batch back (oldest first) to be retried. */
  readonly write: (items: readonly T[]) => Promise<void>;
  /** Called with how many rows were dropped, each time some are. */
  readonly onDrop: (count: number) => void;
  /** Called when a write fails (the rows are kept, within the bound). */
  readonly onError: (error: unknown) => void;
}

export class BatchWriter<T> {
  private readonly slots: (T | undefined)[];
  private readonly rowsOf: (item: T) => number;
  private head = 0;
  /** Items queued. */
  private count = 0;
  /** Rows those items hold. */
  private rows = 0;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: BatchWriterOptions<T>) {
    // An item holds at least one row, so `capacity` slots always suffice.
    this.slots = new Array<T | undefined>(options.capacity);
    this.rowsOf = options.rowsOf ?? (() => 1);
  }

  /** Rows waiting to be written. */
  get size(): number {
    return this.rows;
  }

  /** Queues an item; never waits. Drops the oldest items when its rows would not fit. */
  push(item: T): void {
    const rows = this.rowsOf(item);
    let dropped = 0;
    while (this.count > 0 && this.rows + rows > this.options.capacity) {
      dropped += this.dropOldest();
    }
    if (rows > this.options.capacity) {
      this.options.onDrop(dropped + rows);
      return;
    }
    if (dropped > 0) this.options.onDrop(dropped);
    this.slots[(this.head + this.count) % this.slots.length] = item;
    this.count += 1;
    this.rows += rows;
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
    let budget = this.rows;
    while (budget > 0 && this.count > 0) {
      const batch = this.take(Math.min(this.options.batchSize, budget));
      budget -= this.rowsIn(batch);
      try {
        await this.options.write(batch);
      } catch (error) {
        this.restore(batch);
        this.options.onError(error);
        return;
      }
    }
  }

  /** The oldest items holding up to `wanted` rows (always at least one item). */
  private take(wanted: number): T[] {
    const capacity = this.slots.length;
    const items: T[] = [];
    let taken = 0;
    while (this.count > 0) {
      const item = this.slots[this.head] as T;
      const rows = this.rowsOf(item);
      if (items.length > 0 && taken + rows > wanted) break;
      items.push(item);
      taken += rows;
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) % capacity;
      this.count -= 1;
      this.rows -= rows;
    }
    return items;
  }

  /** Puts a failed batch back in front of newer items; what no longer fits (its oldest) is dropped. */
  private restore(batch: readonly T[]): void {
    const capacity = this.slots.length;
    let dropped = 0;
    for (let i = batch.length - 1; i >= 0; i -= 1) {
      const item = batch[i] as T;
      const rows = this.rowsOf(item);
      if (this.rows + rows > this.options.capacity) {
        // Older than everything kept: it and the rest of the batch go.
        for (let j = i; j >= 0; j -= 1) dropped += this.rowsOf(batch[j] as T);
        break;
      }
      this.head = (this.head - 1 + capacity) % capacity;
      this.slots[this.head] = item;
      this.count += 1;
      this.rows += rows;
    }
    if (dropped > 0) this.options.onDrop(dropped);
  }

  private dropOldest(): number {
    const item = this.slots[this.head] as T;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.count -= 1;
    const rows = this.rowsOf(item);
    this.rows -= rows;
    return rows;
  }

  private rowsIn(items: readonly T[]): number {
    let rows = 0;
    for (const item of items) rows += this.rowsOf(item);
    return rows;
  }
}

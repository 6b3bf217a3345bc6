/**
 * Build log lines to the deployment's Redis stream (the API and the CLI follow it).
 * Lines are batched: one pipelined round trip per flush, flushed every 100 ms or when a
 * batch fills up, so a chatty build costs little and a line still shows within ~200 ms.
 */
import { buildLogStreamKey, type BuildLogEntry } from '@slipway/contracts';
import type Redis from 'ioredis';
import type { BuildLogSink } from '../drivers/build-driver';

export interface BuildLogOptions {
  /** Approximate cap on entries kept per stream (XADD MAXLEN ~). */
  maxLen: number;
  /** The stream expires this long after its last write. */
  ttlSeconds: number;
  flushIntervalMs: number;
  /** A batch this large is flushed at once. */
  maxBatch: number;
  /** Longer lines are cut (a minified file echoed by a RUN step, say). */
  maxLineLength: number;
}

export const DEFAULT_BUILD_LOG_OPTIONS: BuildLogOptions = Object.freeze({
  maxLen: 10_000,
  ttlSeconds: 7 * 24 * 60 * 60,
  flushIntervalMs: 100,
  maxBatch: 500,
  maxLineLength: 16 * 1024,
});

/** One build's log: the driver's sink plus what the worker needs around it. */
export interface BuildLog extends BuildLogSink {
  /** A line from Slipway itself (phases, the outcome), not from the build. */
  system(line: string): void;
  /** Writes out everything buffered; the log takes no more lines after it. */
  close(): Promise<void>;
}

export class RedisBuildLog implements BuildLog {
  private readonly key: string;
  private buffer: BuildLogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    deploymentId: string,
    private readonly onError: (error: Error) => void,
    private readonly options: BuildLogOptions = DEFAULT_BUILD_LOG_OPTIONS,
  ) {
    this.key = buildLogStreamKey(deploymentId);
  }

  write(text: string, stream: BuildLogEntry['stream'] = 'stdout'): void {
    if (this.closed) return;
    const at = new Date().toISOString();
    const lines = text.split('\n');
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    for (const raw of lines) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const cut =
        line.length > this.options.maxLineLength
          ? `${line.slice(0, this.options.maxLineLength)}… [line cut at ${this.options.maxLineLength} characters]`
          : line;
      this.buffer.push({ line: cut, stream, at });
    }
    if (this.buffer.length >= this.options.maxBatch) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.flushIntervalMs);
  }

  system(line: string): void {
    this.write(line, 'system');
  }

  async close(): Promise<void> {
    this.flush();
    this.closed = true;
    await this.flushing;
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    // Chained, so batches land in order even when one is slow.
    this.flushing = this.flushing.then(() => this.send(batch));
  }

  private async send(batch: readonly BuildLogEntry[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    const maxLen = String(this.options.maxLen);
    for (const entry of batch) {
      pipeline.xadd(
        this.key,
        'MAXLEN',
        '~',
        maxLen,
        '*',
        'line',
        entry.line,
        'stream',
        entry.stream,
        'at',
        entry.at,
      );
    }
    pipeline.expire(this.key, this.options.ttlSeconds);
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
    } catch (error) {
      // Logs are best effort: a Redis hiccup must not fail the build itself.
      this.onError(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

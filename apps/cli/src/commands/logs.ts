import { type Command } from 'commander';
import { call, sleep, type Api, type Schemas } from '../client';
import { UsageError } from '../errors';
import { type Output } from '../output';
import {
  connectToService,
  handle,
  integerIn,
  leaf,
  serviceTarget,
  type ServiceTarget,
} from './common';

interface LogsOptions extends ServiceTarget {
  pod?: string;
  follow?: boolean;
  since?: number;
  filter?: string;
  limit?: number;
}

type LogLine = Schemas['ServiceLogLineView'];

/** How often `-f` asks for new service-wide lines. */
export const LOG_POLL_INTERVAL_MS = 2000;
/** The API's largest page: a poll should not drop lines that arrived in a burst. */
const POLL_LIMIT = 10_000;

export function formatLogLine(line: LogLine): string {
  return `${line.timestamp} ${line.instance} ${line.message}\n`;
}

/**
 * Keeps what has been printed while following: each poll asks from the last timestamp
 * (inclusive, millisecond precision), so lines at that very millisecond come back and are
 * dropped here; identical lines are counted, not merged.
 */
export class LogCursor {
  private last: string | undefined;
  private atLast = new Map<string, number>();

  /** The `start` of the next poll, once a line has been seen. */
  get start(): string | undefined {
    return this.last;
  }

  /** The lines of `batch` (oldest first) not printed yet. */
  fresh(batch: readonly LogLine[]): LogLine[] {
    const seenAtLast = new Map(this.atLast);
    const out: LogLine[] = [];
    for (const line of batch) {
      const key = `${line.instance}\u0000${line.message}`;
      if (this.last !== undefined && line.timestamp < this.last) continue;
      if (line.timestamp === this.last) {
        const left = seenAtLast.get(key) ?? 0;
        if (left > 0) {
          seenAtLast.set(key, left - 1);
          continue;
        }
      }
      out.push(line);
      if (line.timestamp !== this.last) {
        this.last = line.timestamp;
        this.atLast = new Map();
      }
      this.atLast.set(key, (this.atLast.get(key) ?? 0) + 1);
    }
    return out;
  }
}

/** Splits a text stream into whole lines (the last, unterminated one waits for more). */
export class LineSplitter {
  private rest = '';

  push(text: string): string[] {
    const parts = (this.rest + text).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map((line) => line.replace(/\r$/, ''));
  }

  end(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest === '' ? [] : [rest];
  }
}

/** Aborted by Ctrl-C: a follow the user ends is a normal end, not a failure. */
function stopOnInterrupt(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  return { signal: controller.signal, release: () => process.off('SIGINT', onInterrupt) };
}

async function podLogs(
  api: Api,
  output: Output,
  id: string,
  pod: string,
  follow: boolean,
  signal: AbortSignal,
): Promise<void> {
  let body: ReadableStream<Uint8Array> | null;
  try {
    body = await call(
      api,
      api.client.GET('/v1/services/{id}/pods/{pod}/logs', {
        params: { path: { id, pod }, query: { follow } },
        parseAs: 'stream',
        signal,
      }),
    );
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  if (body === null) return;
  const decoder = new TextDecoder();
  const lines = new LineSplitter();
  const emit = (text: string[]): void => {
    for (const message of text) output.line(JSON.stringify({ instance: pod, message }));
  };
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      if (output.json) emit(lines.push(text));
      else output.text(text);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  if (output.json) emit(lines.end());
}

async function serviceLogs(
  api: Api,
  output: Output,
  id: string,
  options: LogsOptions,
  signal: AbortSignal,
): Promise<void> {
  const cursor = new LogCursor();
  const print = (batch: readonly LogLine[]): void => {
    for (const line of cursor.fresh(batch)) {
      if (output.json) output.line(JSON.stringify(line));
      else output.text(formatLogLine(line));
    }
  };
  const filter = options.filter !== undefined ? { filter: options.filter } : {};
  const { data: first } = await call(
    api,
    api.client.GET('/v1/services/{id}/logs', {
      params: {
        path: { id },
        query: {
          ...filter,
          ...(options.since !== undefined && { since: options.since }),
          ...(options.limit !== undefined && { limit: options.limit }),
        },
      },
    }),
  );
  print(first);
  while (options.follow && !signal.aborted) {
    await Promise.race([
      sleep(LOG_POLL_INTERVAL_MS),
      new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true })),
    ]);
    if (signal.aborted) return;
    const start = cursor.start;
    const { data: next } = await call(
      api,
      api.client.GET('/v1/services/{id}/logs', {
        params: {
          path: { id },
          query: {
            ...filter,
            limit: POLL_LIMIT,
            // Before any line, keep asking for the same window as the first answer.
            ...(start !== undefined
              ? { start }
              : options.since !== undefined && { since: options.since }),
          },
        },
      }),
    );
    print(next);
  }
}

export function registerLogs(service: Command): void {
  const logs = serviceTarget(
    leaf(
      service,
      'logs',
      "Print a service's logs: every instance's, or one instance's with --pod",
      'slipway service logs --name my-api --since 600 -f\n  slipway service logs --id SERVICE_ID --pod POD_NAME -f',
      "Service-wide lines print as `<timestamp> <instance> <message>`; --pod streams that instance's raw log (its last 1000 lines). -f keeps following until Ctrl-C. With --json, one JSON object per line.",
    ),
  )
    .option('--pod <name>', 'one instance (slipway service pods lists them)')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C')
    .option('--since <seconds>', 'lines of the last this many seconds', integerIn(1, 2 ** 31))
    .option('--filter <text>', 'only lines containing this text (case-sensitive)')
    .option(
      '--limit <n>',
      'at most this many lines, the newest (default 1000)',
      integerIn(1, 10000),
    );
  handle<LogsOptions>(logs, async (options, output, connect) => {
    if (options.pod !== undefined) {
      const unsupported = (['since', 'filter', 'limit'] as const).filter(
        (key) => options[key] !== undefined,
      );
      if (unsupported.length > 0) {
        throw new UsageError(
          `${unsupported.map((key) => `--${key}`).join(', ')} ${unsupported.length > 1 ? 'apply' : 'applies'} to service-wide logs, not with --pod`,
        );
      }
    }
    const { api, id } = await connectToService(options, connect);
    const interrupt = stopOnInterrupt();
    try {
      if (options.pod !== undefined) {
        await podLogs(api, output, id, options.pod, options.follow === true, interrupt.signal);
      } else {
        await serviceLogs(api, output, id, options, interrupt.signal);
      }
    } finally {
      interrupt.release();
    }
  });
}

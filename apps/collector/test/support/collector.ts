import { Reader } from 'protobufjs/minimal';
import { type Collector, createCollector } from '../../src';
import { TEST_SECRET_KEY } from './database';

/** What a spec may change of the test collector's settings. */
export interface TestCollectorOverrides {
  readonly http?: { maxBodyBytes?: number; drainMs?: number };
  readonly queue?: { capacitySpans?: number; batchSize?: number; flushIntervalMs?: number };
}

/**
 * A collector on a free port writing to `databaseUrl`, silent, without retention, flushing
 * every 5 ms unless the spec says otherwise.
 */
export function startTestCollector(
  databaseUrl: string,
  overrides: TestCollectorOverrides = {},
): Promise<Collector> {
  return createCollector({
    env: {},
    overrides: {
      http: { port: 0, ...overrides.http },
      database: { url: databaseUrl },
      auth: { secretKey: TEST_SECRET_KEY },
      queue: { flushIntervalMs: 5, ...overrides.queue },
      log: { level: 'silent' },
    },
    retention: false,
  });
}

/** A google.rpc.Status body (OTLP/protobuf errors): its code (field 1) and message (field 2). */
export function decodeRpcStatus(bytes: Buffer): { code: number; message: string } {
  const reader = Reader.create(bytes);
  const status = { code: 0, message: '' };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 === 1) status.code = reader.int32();
    else if (tag >>> 3 === 2) status.message = reader.string();
    else reader.skipType(tag & 7);
  }
  return status;
}

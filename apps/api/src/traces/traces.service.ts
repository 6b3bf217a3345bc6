import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { ServicesService } from '../services/services.service';
import { buildSpanTree, type SpanRow } from './span-tree';
import { type TraceSummaryView, type TraceView } from './trace.view';
import { encodeTraceCursor, type TraceListRequest } from './traces.dto';

/** The first slice of the window searched; each next one is four times as long. */
const FIRST_SLICE_MS = 5 * 60 * 1000;
const SLICE_GROWTH = 4;

/** ISO 8601 in UTC with microseconds: what timestamptz keeps, and what the cursor needs. */
function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export interface TracePage {
  traces: TraceSummaryView[];
  nextCursor: string | null;
}

/**
 * Reads the spans the collector stored. A trace belongs to the time of its earliest span:
 * it is listed in the window (and the slice) where that span started, exactly once.
 */
@Injectable()
export class TracesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
  ) {}

  /**
   * Newest first. The window is searched backwards in growing slices, each an index range
   * on (service_id, start_time), until the page is full: a busy service answers from the
   * last minutes, a quiet one from the whole window, and no query reads the whole table.
   */
  async list(userId: string, serviceId: string, request: TraceListRequest): Promise<TracePage> {
    await this.services.get(userId, serviceId);
    const wanted = request.limit + 1; // one more than the page: whether a next page exists
    const found: TraceSummaryView[] = [];
    let upper = request.windowEnd.getTime();
    if (request.cursor) {
      // Just past the cursor's millisecond; the exact bound is applied in SQL.
      upper = Math.min(upper, Math.floor(Date.parse(request.cursor.startTime)) + 1);
    }
    const lowest = request.windowStart.getTime();
    for (let size = FIRST_SLICE_MS; upper > lowest && found.length < wanted; size *= SLICE_GROWTH) {
      const lower = Math.max(lowest, upper - size);
      found.push(
        ...(await this.slice(
          serviceId,
          new Date(lower),
          new Date(upper),
          request,
          wanted - found.length,
        )),
      );
      upper = lower;
    }
    const traces = found.slice(0, request.limit);
    const last = traces[traces.length - 1];
    return {
      traces,
      nextCursor:
        found.length > request.limit && last
          ? encodeTraceCursor({ startTime: last.start_time, traceId: last.trace_id })
          : null,
    };
  }

  /** One trace with its spans as a tree; 404 when no span of it is stored. */
  async get(userId: string, serviceId: string, traceId: string): Promise<TraceView> {
    await this.services.get(userId, serviceId);
    const rows = await this.dataSource.query<SpanRow[]>(
      `SELECT span_id, parent_span_id, name, kind,
              ${iso('start_time')} AS start_time, ${iso('end_time')} AS end_time,
              duration_ns::text AS duration_ns, status_code, status_message,
              attributes, events, links, resource
         FROM spans
        WHERE service_id = $1 AND trace_id = $2
        ORDER BY start_time, span_id`,
      [serviceId, traceId],
    );
    const first = rows[0];
    if (!first) throw DomainError.notFound('Trace', traceId);
    const endTime = rows.reduce(
      (latest, row) => (row.end_time > latest ? row.end_time : latest),
      first.end_time,
    );
    const root = rows.find((row) => row.parent_span_id === null) ?? first;
    return {
      trace_id: traceId,
      root_span_name: root.name,
      start_time: first.start_time,
      end_time: endTime,
      duration_ms: (microsOf(endTime) - microsOf(first.start_time)) / 1000,
      span_count: rows.length,
      error: rows.some((row) => row.status_code === 2),
      spans: buildSpanTree(rows),
    };
  }

  /** Removes every span of the service (a teardown step of deleting it). */
  async deleteSpansOf(serviceId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM spans WHERE service_id = $1', [serviceId]);
  }

  /**
   * Traces whose earliest span started in [lower, upper), filtered, newest first. The
   * candidates come from the index range; each is then summed over all its spans (primary
   * key lookups), so spans outside the slice still count.
   */
  private async slice(
    serviceId: string,
    lower: Date,
    upper: Date,
    request: TraceListRequest,
    limit: number,
  ): Promise<TraceSummaryView[]> {
    const params: unknown[] = [serviceId, lower, upper];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = ['t.start_time >= $2', 't.start_time < $3'];
    if (request.cursor) {
      conditions.push(
        `(t.start_time, c.trace_id::text COLLATE "C") < (${param(request.cursor.startTime)}::timestamptz, ${param(request.cursor.traceId)}::text COLLATE "C")`,
      );
    }
    if (request.errorsOnly) conditions.push('t.error');
    if (request.minDurationMs !== undefined) {
      conditions.push(
        `extract(epoch FROM t.end_time - t.start_time) * 1000 >= ${param(request.minDurationMs)}`,
      );
    }
    const nameMatch = request.nameContains
      ? `bool_or(strpos(lower(s.name), lower(${param(request.nameContains)})) > 0)`
      : 'true';
    return this.dataSource.query<TraceSummaryView[]>(
      `SELECT c.trace_id,
              (SELECT r.name FROM spans r
                WHERE r.service_id = $1 AND r.trace_id = c.trace_id
                ORDER BY (r.parent_span_id IS NULL) DESC, r.start_time, r.span_id
                LIMIT 1) AS root_span_name,
              ${iso('t.start_time')} AS start_time,
              ${iso('t.end_time')} AS end_time,
              (extract(epoch FROM t.end_time - t.start_time) * 1000)::float8 AS duration_ms,
              t.span_count,
              t.error
         FROM (SELECT DISTINCT trace_id FROM spans
                WHERE service_id = $1 AND start_time >= $2 AND start_time < $3) c
        CROSS JOIN LATERAL (
              SELECT min(s.start_time) AS start_time, max(s.end_time) AS end_time,
                     count(*)::int AS span_count, bool_or(s.status_code = 2) AS error,
                     ${nameMatch} AS name_match
                FROM spans s
               WHERE s.service_id = $1 AND s.trace_id = c.trace_id) t
        WHERE t.name_match AND ${conditions.join(' AND ')}
        ORDER BY t.start_time DESC, c.trace_id::text COLLATE "C" DESC
        LIMIT ${param(limit)}`,
      params,
    );
  }
}

/** Microseconds since the epoch of an ISO string with six fraction digits. */
function microsOf(isoTime: string): number {
  return Date.parse(`${isoTime.slice(0, 23)}Z`) * 1000 + Number(isoTime.slice(23, 26));
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServicesService } from '../services/services.service';
import { type AnalyticsRequest } from './analytics.dto';
import {
  type ClientIpRequestsView,
  type PathRequestsView,
  type ServiceAnalyticsView,
} from './analytics.view';

interface AnalyticsRow {
  requests: number;
  class_1xx: number;
  class_2xx: number;
  class_3xx: number;
  class_4xx: number;
  class_5xx: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  bytes_in: number;
  bytes_out: number;
  top_paths: PathRequestsView[];
  top_client_ips: ClientIpRequestsView[];
}

/** Sums up the access logs the edge writes: what a service's traffic looked like over a window. */
@Injectable()
export class AnalyticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
  ) {}

  /**
   * One query: the window's rows are read once through the (service_id, time) index into a
   * CTE (materialized, as it is read three times), then aggregated into the totals and the
   * two top lists. Throws not_found for a service that is not the user's.
   */
  async summarize(
    userId: string,
    serviceId: string,
    request: AnalyticsRequest,
  ): Promise<ServiceAnalyticsView> {
    await this.services.get(userId, serviceId);
    const params: unknown[] = [serviceId];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = ['service_id = $1'];
    if (request.start) conditions.push(`time >= ${param(request.start)}`);
    if (request.end) conditions.push(`time < ${param(request.end)}`);
    const top = param(request.top);
    const classCount = (from: number): string =>
      `count(*) FILTER (WHERE status BETWEEN ${from} AND ${from + 99})::float8`;
    // Ties are broken by the text in byte order ("C"), whatever the database's collation.
    const rows = await this.dataSource.query<AnalyticsRow[]>(
      `WITH window_rows AS (
         SELECT path, client_ip, status, duration_ms, bytes_in, bytes_out
           FROM access_logs
          WHERE ${conditions.join(' AND ')}
       ),
       totals AS (
         SELECT count(*)::float8 AS requests,
                ${classCount(100)} AS class_1xx, ${classCount(200)} AS class_2xx,
                ${classCount(300)} AS class_3xx, ${classCount(400)} AS class_4xx,
                ${classCount(500)} AS class_5xx,
                percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms)
                  AS latency,
                coalesce(sum(bytes_in), 0)::float8 AS bytes_in,
                coalesce(sum(bytes_out), 0)::float8 AS bytes_out
           FROM window_rows
       )
       SELECT requests, class_1xx, class_2xx, class_3xx, class_4xx, class_5xx,
              round(latency[1]::numeric, 3)::float8 AS p50,
              round(latency[2]::numeric, 3)::float8 AS p95,
              round(latency[3]::numeric, 3)::float8 AS p99,
              bytes_in, bytes_out,
              (SELECT coalesce(json_agg(json_build_object('path', path, 'requests', requests)
                                        ORDER BY requests DESC, path COLLATE "C"), '[]')
                 FROM (SELECT path, count(*) AS requests
                         FROM window_rows
                        GROUP BY path
                        ORDER BY requests DESC, path COLLATE "C"
                        LIMIT ${top}) AS paths) AS top_paths,
              (SELECT coalesce(json_agg(json_build_object('client_ip', client_ip,
                                                          'requests', requests)
                                        ORDER BY requests DESC, client_ip COLLATE "C"), '[]')
                 FROM (SELECT client_ip, count(*) AS requests
                         FROM window_rows
                        WHERE client_ip IS NOT NULL
                        GROUP BY client_ip
                        ORDER BY requests DESC, client_ip COLLATE "C"
                        LIMIT ${top}) AS ips) AS top_client_ips
         FROM totals`,
      params,
    );
    const row = rows[0];
    if (!row) throw new Error('the analytics query answered no row');
    return {
      service_id: serviceId,
      start: request.start?.toISOString() ?? null,
      end: request.end?.toISOString() ?? null,
      requests: row.requests,
      status_classes: {
        '1xx': row.class_1xx,
        '2xx': row.class_2xx,
        '3xx': row.class_3xx,
        '4xx': row.class_4xx,
        '5xx': row.class_5xx,
      },
      error_ratio: row.requests === 0 ? 0 : row.class_5xx / row.requests,
      latency_ms: { p50: row.p50, p95: row.p95, p99: row.p99 },
      bytes_in: row.bytes_in,
      bytes_out: row.bytes_out,
      top_paths: row.top_paths,
      top_client_ips: row.top_client_ips,
    };
  }
}

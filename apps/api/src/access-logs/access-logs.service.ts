import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ServicesService } from '../services/services.service';
import { type AccessLogView } from './access-log.view';
import { type AccessLogQuery } from './access-logs.dto';

/** Reads the access logs the edge writes. */
@Injectable()
export class AccessLogsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
  ) {}

  /**
   * Newest first: a backward range scan of the (service_id, time) index, stopping at `limit`
   * rows that pass the filters. Throws not_found for a service that is not the user's.
   */
  async list(userId: string, serviceId: string, query: AccessLogQuery): Promise<AccessLogView[]> {
    await this.services.get(userId, serviceId);
    const params: unknown[] = [serviceId];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const conditions = ['service_id = $1'];
    if (query.start) conditions.push(`time >= ${param(query.start)}`);
    if (query.end) conditions.push(`time < ${param(query.end)}`);
    if (query.statuses) conditions.push(`status = ANY (${param(query.statuses)}::int[])`);
    if (query.methods) conditions.push(`method = ANY (${param(query.methods)}::text[])`);
    if (query.pathContains) {
      conditions.push(`strpos(lower(path), lower(${param(query.pathContains)})) > 0`);
    }
    return this.dataSource.query<AccessLogView[]>(
      `SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS time,
              method, path, status, duration_ms, bytes_in::float8 AS bytes_in,
              bytes_out::float8 AS bytes_out, client_ip, user_agent, request_id
         FROM access_logs
        WHERE ${conditions.join(' AND ')}
        ORDER BY time DESC, id DESC
        LIMIT ${param(query.limit)}`,
      params,
    );
  }

  /** Removes every access log of the service (a teardown step of deleting it). */
  async deleteRowsOf(serviceId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM access_logs WHERE service_id = $1', [serviceId]);
  }
}

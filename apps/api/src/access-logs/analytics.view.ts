import { ApiProperty } from '@nestjs/swagger';
import {
  type ClientIpRequestsResource,
  type LatencyPercentilesResource,
  type PathRequestsResource,
  type ServiceAnalyticsResource,
  type StatusClass,
} from '@slipway/contracts';

export class StatusClassesView implements Record<StatusClass, number> {
  @ApiProperty({ example: 0, description: 'Informational, e.g. 101 for a proxied WebSocket' })
  '1xx'!: number;
  @ApiProperty({ example: 1180 }) '2xx'!: number;
  @ApiProperty({ example: 12 }) '3xx'!: number;
  @ApiProperty({ example: 40, description: 'Client errors, 499 (client left early) included' })
  '4xx'!: number;
  @ApiProperty({ example: 3 }) '5xx'!: number;
}

export class LatencyPercentilesView implements LatencyPercentilesResource {
  @ApiProperty({ type: Number, nullable: true, example: 12.5, description: 'Median' })
  p50!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 87.25 }) p95!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 240.1 }) p99!: number | null;
}

export class PathRequestsView implements PathRequestsResource {
  @ApiProperty({ example: '/orders', description: 'Without the query string' }) path!: string;
  @ApiProperty({ example: 420 }) requests!: number;
}

export class ClientIpRequestsView implements ClientIpRequestsResource {
  @ApiProperty({ example: '203.0.113.7' }) client_ip!: string;
  @ApiProperty({ example: 97 }) requests!: number;
}

export class ServiceAnalyticsView implements ServiceAnalyticsResource {
  @ApiProperty({ example: '0b8f2c1e-5a4d-4f3b-9e2a-7c6d5e4f3a2b' }) service_id!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    example: '2026-01-31T09:00:00.000Z',
    description: 'Start of the window (inclusive); null when unbounded',
  })
  start!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'date-time',
    example: null,
    description: 'End of the window (exclusive); null when unbounded',
  })
  end!: string | null;
  @ApiProperty({
    example: 1235,
    description: 'Requests in the window (a WebSocket is one, counted when its tunnel closed)',
  })
  requests!: number;
  @ApiProperty({
    type: StatusClassesView,
    description: 'Requests per status class; a status outside 100..599 counts in none',
  })
  status_classes!: StatusClassesView;
  @ApiProperty({
    example: 0.0024,
    description: 'The share of requests answered 5xx, from 0 to 1; 0 without requests',
  })
  error_ratio!: number;
  @ApiProperty({
    type: LatencyPercentilesView,
    description:
      'Arrival to the end of the response, in milliseconds (interpolated percentiles, rounded ' +
      'to the microsecond); null without requests',
  })
  latency_ms!: LatencyPercentilesView;
  @ApiProperty({ example: 52_000, description: 'Request body bytes, summed' })
  bytes_in!: number;
  @ApiProperty({ example: 7_340_032, description: 'Response body bytes, summed' })
  bytes_out!: number;
  @ApiProperty({
    type: [PathRequestsView],
    description: 'The most requested paths, most first (ties by path)',
  })
  top_paths!: PathRequestsView[];
  @ApiProperty({
    type: [ClientIpRequestsView],
    description:
      'The busiest client addresses, most first (ties by address); requests without one are ' +
      'left out',
  })
  top_client_ips!: ClientIpRequestsView[];
}

import { ApiProperty } from '@nestjs/swagger';
import {
  SPAN_KINDS,
  SPAN_STATUS_CODES,
  type ServiceTokenRotationResource,
  type SpanKindName,
  type SpanResource,
  type SpanStatusName,
  type SpanStatusResource,
  type TraceResource,
  type TraceSummaryResource,
} from '@slipway/contracts';

export class TraceSummaryView implements TraceSummaryResource {
  @ApiProperty({ example: '4bf92f3577b34da6a3ce929d0e0e4736' }) trace_id!: string;
  @ApiProperty({
    example: 'GET /orders',
    description: "The root span's name; while no root is stored, the earliest span's",
  })
  root_span_name!: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-31T09:30:00.123456Z' })
  start_time!: string;
  @ApiProperty({ format: 'date-time', example: '2026-01-31T09:30:00.170456Z' })
  end_time!: string;
  @ApiProperty({ example: 47, description: 'Earliest span start to latest span end' })
  duration_ms!: number;
  @ApiProperty({ example: 5 }) span_count!: number;
  @ApiProperty({ description: 'Some span has status error' }) error!: boolean;
}

export class SpanStatusView implements SpanStatusResource {
  @ApiProperty({ enum: SPAN_STATUS_CODES }) code!: SpanStatusName;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
}

export class SpanView implements SpanResource {
  @ApiProperty({ example: '00f067aa0ba902b7' }) span_id!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null for a root; an orphan (parent not stored) keeps it and is shown as a root',
  })
  parent_span_id!: string | null;
  @ApiProperty({ example: 'SELECT orders' }) name!: string;
  @ApiProperty({ enum: SPAN_KINDS }) kind!: SpanKindName;
  @ApiProperty({ format: 'date-time' }) start_time!: string;
  @ApiProperty({ format: 'date-time' }) end_time!: string;
  @ApiProperty({ example: 3.25 }) duration_ms!: number;
  @ApiProperty({ type: SpanStatusView }) status!: SpanStatusView;
  @ApiProperty({ type: 'object', additionalProperties: true })
  attributes!: Record<string, unknown>;
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: '[{name, time, attributes}]',
  })
  events!: unknown[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', additionalProperties: true },
    description: '[{trace_id, span_id, attributes}]',
  })
  links!: unknown[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Resource attributes' })
  resource!: Record<string, unknown>;
  @ApiProperty({ type: () => [SpanView], description: 'Child spans, by start time' })
  children!: SpanView[];
}

export class TraceView extends TraceSummaryView implements TraceResource {
  @ApiProperty({
    type: () => [SpanView],
    description: 'Root spans (orphans included), by start time',
  })
  spans!: SpanView[];
}

export class ServiceTokenRotationView implements ServiceTokenRotationResource {
  @ApiProperty({ format: 'uuid' }) service_id!: string;
  @ApiProperty({ format: 'date-time', description: 'Until when the replaced token is accepted' })
  previous_token_expires_at!: string;
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The deployment that rolls the new token out; null when nothing is running',
  })
  deployment_id!: string | null;
}

export function spanKindName(kind: number): SpanKindName {
  return SPAN_KINDS[kind] ?? 'unspecified';
}

export function spanStatusName(code: number): SpanStatusName {
  return SPAN_STATUS_CODES[code] ?? 'unset';
}

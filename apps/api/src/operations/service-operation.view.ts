import { ApiProperty } from '@nestjs/swagger';
import {
  SERVICE_OPERATION_CAUSES,
  SERVICE_OPERATION_KINDS,
  SERVICE_OPERATION_STATUSES,
  type ServiceOperationCause,
  type ServiceOperationKind,
  type ServiceOperationResource,
  type ServiceOperationStatus,
} from '@slipway/contracts';
import { type ServiceOperation } from './service-operation.entity';

export class ServiceOperationView implements ServiceOperationResource {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) service_id!: string;
  @ApiProperty({ enum: SERVICE_OPERATION_KINDS }) kind!: ServiceOperationKind;
  @ApiProperty({ format: 'uuid', description: 'The deployment whose instances it acts on' })
  deployment_id!: string;
  @ApiProperty({ description: 'Target count (scale) or instances restarted (restart)' })
  instances!: number;
  @ApiProperty({ enum: SERVICE_OPERATION_STATUSES }) status!: ServiceOperationStatus;
  @ApiProperty({ nullable: true, type: String }) failure_reason!: string | null;
  @ApiProperty({
    enum: SERVICE_OPERATION_CAUSES,
    description:
      'user, or the platform: idle (put to sleep), wake (a request arrived), autoscale (in-flight requests)',
  })
  cause!: ServiceOperationCause;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'no request for 900 s',
    description: "Why the platform decided it; null for a user's",
  })
  reason!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null: the platform' })
  started_by!: string | null;
  @ApiProperty({ format: 'date-time' }) started_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) ended_at!: string | null;
}

export function toOperationView(operation: ServiceOperation): ServiceOperationView {
  return {
    id: operation.id,
    service_id: operation.serviceId,
    kind: operation.kind,
    deployment_id: operation.deploymentId,
    instances: operation.instances,
    status: operation.status,
    failure_reason: operation.failureReason,
    cause: operation.cause,
    reason: operation.reason,
    started_by: operation.startedBy,
    started_at: operation.startedAt.toISOString(),
    ended_at: operation.endedAt?.toISOString() ?? null,
  };
}

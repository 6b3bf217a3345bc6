import { ApiProperty } from '@nestjs/swagger';
import {
  DEPLOYMENT_STATUSES,
  INSTANCE_STATES,
  SERVICE_STATUSES,
  type DeploymentStatus,
  type ServiceStatus,
  type InstanceStateName,
  type PodResource,
  type ServiceRuntimeStatus,
} from '@slipway/contracts';
import { ServiceOperationView } from '../operations/service-operation.view';
import { type Instance } from '../runtime/runtime-driver';

export class PodView implements PodResource {
  @ApiProperty({ example: 'slp-web-1a2b3c4d-5e6f7a8b-0' }) name!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) deployment_id!: string | null;
  @ApiProperty({ enum: INSTANCE_STATES }) status!: InstanceStateName;
  @ApiProperty() ready!: boolean;
  @ApiProperty() restarts!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) started_at!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'exit code 1' }) message!: string | null;
}

class RolloutView {
  @ApiProperty({ format: 'uuid' }) deployment_id!: string;
  @ApiProperty({ enum: DEPLOYMENT_STATUSES }) status!: DeploymentStatus;
}

export class ServiceStatusView implements ServiceRuntimeStatus {
  @ApiProperty({ format: 'uuid' }) service_id!: string;
  @ApiProperty({ enum: SERVICE_STATUSES }) status!: ServiceStatus;
  @ApiProperty({ type: String, nullable: true, description: 'Why it is degraded or failed' })
  reason!: string | null;
  @ApiProperty({ description: 'Instances the live deployment should have (0 when paused)' })
  desired!: number;
  @ApiProperty({ description: 'Instances that exist' }) total!: number;
  @ApiProperty({ description: 'Instances passing readiness' }) ready!: number;
  @ApiProperty({ description: 'Ready instances of the live deployment (receiving traffic)' })
  available!: number;
  @ApiProperty({ type: RolloutView, nullable: true }) rollout!: RolloutView | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) live_deployment_id!: string | null;
  @ApiProperty({
    type: ServiceOperationView,
    nullable: true,
    description: 'The scale or restart in progress, else the latest one',
  })
  operation!: ServiceOperationView | null;
}

export function toPodView(instance: Instance): PodView {
  return {
    name: instance.name,
    deployment_id: instance.deploymentId,
    status: instance.state,
    ready: instance.ready,
    restarts: instance.restarts,
    started_at: instance.startedAt?.toISOString() ?? null,
    message: instance.message,
  };
}

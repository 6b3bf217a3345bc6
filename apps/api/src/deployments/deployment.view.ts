import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONTAINER_PORT,
  DEPLOYMENT_STATUSES,
  MASKED_SECRET_VALUE,
  type DeploymentAutoscaling,
  type DeploymentEnvVar,
  type DeploymentVolume,
  type DeploymentRepo,
  type DeploymentResource,
  type DeploymentResources,
  type DeploymentSource,
  type DeploymentStartupProbe,
  type DeploymentStatus,
} from '@slipway/contracts';
import { type Deployment } from './deployment.entity';
import { type StoredStartupProbe } from './deployment-settings';

class QuantitiesView {
  @ApiProperty({ example: '500m' }) cpu!: string;
  @ApiProperty({ example: '1Gi' }) memory!: string;
}

class ResourcesView {
  @ApiProperty({ type: QuantitiesView }) requests!: QuantitiesView;
  @ApiProperty({ type: QuantitiesView }) limits!: QuantitiesView;
}

class EnvVarView {
  @ApiProperty() name!: string;
  @ApiProperty({ description: `"${MASKED_SECRET_VALUE}" for secret values` }) value!: string;
  @ApiProperty() secret!: boolean;
}

class VolumeView {
  @ApiProperty({ example: 'data' }) name!: string;
  @ApiProperty({ example: '/var/lib/data' }) mount_path!: string;
  @ApiProperty({ example: '10Gi', description: "Each instance's volume" }) size!: string;
}

class SourceView {
  @ApiProperty({ enum: ['archive'] }) type!: 'archive';
  @ApiProperty() sha256!: string;
  @ApiProperty() size_bytes!: number;
  @ApiProperty({ example: { file: 'Dockerfile', context: '.' } })
  docker!: { file: string; context: string };
}

class DeploymentRepoView {
  @ApiProperty() url!: string;
  @ApiProperty() branch!: string;
  @ApiProperty({ example: { file: 'Dockerfile', context: '.' } })
  docker!: { file: string; context: string };
  @ApiProperty({ type: String, nullable: true, description: 'Known once the build has cloned it' })
  commit_sha!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The commit's subject line" })
  commit_message!: string | null;
}

class WebhookView {
  @ApiProperty({ description: 'Where GitHub or GitLab send push events' }) url!: string;
  @ApiProperty({ description: 'Signs (GitHub) or accompanies (GitLab) each push event' })
  secret!: string;
}

export class DeploymentView implements DeploymentResource {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) service_id!: string;
  @ApiProperty({ enum: DEPLOYMENT_STATUSES }) status!: DeploymentStatus;
  @ApiProperty({ example: 'deploy' }) trigger!: string;
  @ApiProperty({ format: 'uuid', description: 'The user who started it' }) started_by!: string;
  @ApiProperty({ format: 'date-time' }) started_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) ended_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) image!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'sha256:…' }) image_digest!: string | null;
  @ApiProperty({ type: SourceView, nullable: true }) source!: DeploymentSource | null;
  @ApiProperty({ type: DeploymentRepoView, nullable: true }) repo!: DeploymentRepo | null;
  @ApiPropertyOptional({
    type: WebhookView,
    description:
      'Only in the answer of the deploy that connected the repository: the push webhook and its secret, shown once',
  })
  webhook?: { url: string; secret: string };
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) resource_profile_id!:
    string | null;
  @ApiProperty({ type: ResourcesView }) resources!: DeploymentResources;
  @ApiProperty({ type: [EnvVarView] }) env!: DeploymentEnvVar[];
  @ApiProperty() replicas!: number;
  @ApiPropertyOptional({ nullable: true, type: Object }) autoscaling!: DeploymentAutoscaling | null;
  @ApiPropertyOptional({ nullable: true, type: Object })
  startup_probe!: DeploymentStartupProbe | null;
  @ApiProperty({ nullable: true, type: String }) health_check_path!: string | null;
  @ApiProperty({ example: 8080, description: 'The port its containers listen on (PORT)' })
  port!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "SIGTERM-to-SIGKILL seconds after the drain; null: the runtime's default",
  })
  stop_grace_period_seconds!: number | null;
  @ApiProperty({ nullable: true, type: [String] }) command!: string[] | null;
  @ApiProperty({ nullable: true, type: [String] }) args!: string[] | null;
  @ApiProperty({ type: [VolumeView], description: 'Empty for a stateless service' })
  volumes!: DeploymentVolume[];
  @ApiProperty({ nullable: true, type: String, description: 'What failed, with the evidence' })
  failure_reason!: string | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time' }) updated_at!: string;
}

function probeView(probe: StoredStartupProbe | null): DeploymentStartupProbe | null {
  if (!probe) return null;
  return {
    path: probe.path,
    initial_delay_seconds: probe.initialDelaySeconds,
    period_seconds: probe.periodSeconds,
    timeout_seconds: probe.timeoutSeconds,
    failure_threshold: probe.failureThreshold,
  };
}

/** The public view of a deployment: secret env values are masked, never decrypted. */
export function toDeploymentView(deployment: Deployment): DeploymentView {
  const settings = deployment.settings;
  const source = deployment.source;
  return {
    id: deployment.id,
    service_id: deployment.serviceId,
    status: deployment.status,
    trigger: deployment.trigger,
    started_by: deployment.startedBy,
    started_at: deployment.startedAt.toISOString(),
    ended_at: deployment.endedAt?.toISOString() ?? null,
    image: deployment.image,
    image_digest: deployment.imageDigest,
    source: source
      ? {
          type: 'archive',
          sha256: source.sha256,
          size_bytes: source.sizeBytes,
          docker: { file: source.dockerFile, context: source.dockerContext },
        }
      : null,
    repo: deployment.repo
      ? {
          url: deployment.repo.url,
          branch: deployment.repo.branch,
          docker: { file: deployment.repo.dockerFile, context: deployment.repo.dockerContext },
          commit_sha: deployment.repo.commitSha,
          commit_message: deployment.repo.commitMessage,
        }
      : null,
    resource_profile_id: settings.resourceProfileId,
    resources: {
      requests: { ...settings.resources.requests },
      limits: { ...settings.resources.limits },
    },
    env: settings.env.map((entry) => ({
      name: entry.name,
      value: entry.secret ? MASKED_SECRET_VALUE : entry.value,
      secret: entry.secret,
    })),
    replicas: settings.replicas,
    autoscaling: settings.autoscaling
      ? {
          min_replicas: settings.autoscaling.minReplicas,
          max_replicas: settings.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'resource',
              resource: {
                name: 'cpu',
                target: {
                  type: 'utilization',
                  average_utilization: settings.autoscaling.targetCpuUtilization,
                },
              },
            },
          ],
          target_concurrency: settings.autoscaling.targetConcurrency ?? null,
          idle_timeout_seconds: settings.autoscaling.idleTimeoutSeconds ?? null,
        }
      : null,
    startup_probe: probeView(settings.startupProbe),
    health_check_path: settings.healthCheckPath,
    port: settings.port ?? CONTAINER_PORT,
    stop_grace_period_seconds: settings.stopGracePeriodSeconds ?? null,
    command: settings.command ? [...settings.command] : null,
    args: settings.args ? [...settings.args] : null,
    volumes: (settings.volumes ?? []).map((v) => ({
      name: v.name,
      mount_path: v.mountPath,
      size: v.size,
    })),
    failure_reason: deployment.failureReason,
    created_at: deployment.createdAt.toISOString(),
    updated_at: deployment.updatedAt.toISOString(),
  };
}

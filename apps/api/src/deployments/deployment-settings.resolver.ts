import { Injectable } from '@nestjs/common';
import { DEFAULT_IDLE_TIMEOUT_SECONDS } from '@slipway/contracts';
import { DEFAULT_RESOURCES, DEFAULT_CPU_UTILIZATION } from '@slipway/k8s-spec';
import { SecretBox } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { ResourceProfilesService } from '../resource-profiles/resource-profiles.service';
import { type DeploySettingsDto } from './deploy.dto';
import { type DeploymentSettings, type StoredResources } from './deployment-settings';

/**
 * Turns a deploy request into the settings stored on the deployment: the resource profile
 * applied, defaults filled in, secret values sealed. Cross-field rules that need no
 * Kubernetes knowledge are checked here; the rest by `@slipway/k8s-spec` on the result.
 */
@Injectable()
export class DeploymentSettingsResolver {
  constructor(
    private readonly profiles: ResourceProfilesService,
    private readonly secretBox: SecretBox,
  ) {}

  /** `servicePort`: the service's port, for a deploy that names none. */
  async resolve(dto: DeploySettingsDto, servicePort: number): Promise<DeploymentSettings> {
    if (dto.replicas !== undefined && dto.autoscaling !== undefined) {
      throw DomainError.validation(
        'replicas: cannot be combined with autoscaling (set autoscaling.min_replicas instead)',
      );
    }
    if (dto.autoscaling && dto.autoscaling.min_replicas > dto.autoscaling.max_replicas) {
      throw DomainError.validation(
        `autoscaling.min_replicas: must not exceed max_replicas (${dto.autoscaling.min_replicas} > ${dto.autoscaling.max_replicas})`,
      );
    }
    if (dto.autoscaling?.idle_timeout_seconds !== undefined && dto.autoscaling.min_replicas > 0) {
      throw DomainError.validation(
        'autoscaling.idle_timeout_seconds: only applies with min_replicas 0 (a service that may sleep)',
      );
    }
    const names = new Set<string>();
    for (const entry of dto.env ?? []) {
      if (names.has(entry.name)) {
        throw DomainError.validation(`env: '${entry.name}' is given more than once`);
      }
      names.add(entry.name);
    }
    const probe = dto.startup_probe;
    return {
      resourceProfileId: dto.resource_profile_id ?? null,
      resources: await this.resources(dto),
      env: (dto.env ?? []).map((entry) => ({
        name: entry.name,
        value: entry.secret ? this.secretBox.encrypt(entry.value) : entry.value,
        secret: entry.secret ?? false,
      })),
      replicas: dto.replicas ?? Math.max(1, dto.autoscaling?.min_replicas ?? 1),
      autoscaling: dto.autoscaling
        ? {
            minReplicas: dto.autoscaling.min_replicas,
            maxReplicas: dto.autoscaling.max_replicas,
            targetCpuUtilization:
              dto.autoscaling.metrics?.[0]?.resource.target.average_utilization ??
              DEFAULT_CPU_UTILIZATION,
            targetConcurrency: dto.autoscaling.target_concurrency ?? null,
            idleTimeoutSeconds:
              dto.autoscaling.min_replicas === 0
                ? (dto.autoscaling.idle_timeout_seconds ?? DEFAULT_IDLE_TIMEOUT_SECONDS)
                : null,
          }
        : null,
      startupProbe: probe
        ? {
            path: probe.path,
            initialDelaySeconds: probe.initial_delay_seconds,
            periodSeconds: probe.period_seconds,
            timeoutSeconds: probe.timeout_seconds,
            failureThreshold: probe.failure_threshold,
          }
        : null,
      healthCheckPath: dto.health_check_path ?? null,
      port: dto.port ?? servicePort,
      stopGracePeriodSeconds: dto.stop_grace_period_seconds ?? null,
      command: dto.command ?? null,
      args: dto.args ?? null,
      volumes: dto.volumes?.length
        ? dto.volumes.map((v) => ({ name: v.name, mountPath: v.mount_path, size: v.size }))
        : null,
    };
  }

  /** A profile sets requests = limits; explicit `resources` fields override it. */
  private async resources(dto: DeploySettingsDto): Promise<StoredResources> {
    let base: StoredResources = {
      requests: {
        cpu: DEFAULT_RESOURCES.requests.cpu.toString(),
        memory: DEFAULT_RESOURCES.requests.memory.toString(),
      },
      limits: {
        cpu: DEFAULT_RESOURCES.limits.cpu.toString(),
        memory: DEFAULT_RESOURCES.limits.memory.toString(),
      },
    };
    if (dto.resource_profile_id) {
      const profile = await this.profiles.get(dto.resource_profile_id).catch(() => {
        throw DomainError.validation(
          `resource_profile_id: no resource profile ${dto.resource_profile_id} (GET /v1/resource-profiles lists them)`,
        );
      });
      base = {
        requests: { cpu: profile.cpu, memory: profile.memory },
        limits: { cpu: profile.cpu, memory: profile.memory },
      };
    }
    return {
      requests: {
        cpu: dto.resources?.requests?.cpu ?? base.requests.cpu,
        memory: dto.resources?.requests?.memory ?? base.requests.memory,
      },
      limits: {
        cpu: dto.resources?.limits?.cpu ?? base.limits.cpu,
        memory: dto.resources?.limits?.memory ?? base.limits.memory,
      },
    };
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  CHANNELS,
  ErrorCode,
  IN_PROGRESS_DEPLOYMENT_STATUSES,
  RevocationMessageSchema,
} from '@slipway/contracts';
import { DataSource, In } from 'typeorm';
import { generateCredential } from '../common/crypto/credentials';
import { CredentialHasher, SecretBox } from '../common/crypto/crypto.module';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { Deployment } from '../deployments/deployment.entity';
import { DeploymentsService } from '../deployments/deployments.service';
import { RedisClient } from '../redis/redis.module';
import { Service } from '../services/service.entity';
import { ServicesService } from '../services/services.service';
import { type ServiceTokenRotationView } from './trace.view';

/**
 * Replaces a service's token. The old one stays valid for `traces.tokenGraceSeconds`, so
 * instances keep reporting while a new deployment rolls the new token out.
 */
@Injectable()
export class TokenRotationService {
  private readonly logger = new Logger(TokenRotationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly services: ServicesService,
    private readonly deployments: DeploymentsService,
    private readonly hasher: CredentialHasher,
    private readonly secretBox: SecretBox,
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 409 while a deployment is in progress: a rotation's own deployment would supersede
   * (cancel) it, and one already past its start may carry either token. Rotating twice
   * within the grace period ends the first token at once: only one previous is kept.
   */
  async rotate(userId: string, serviceId: string): Promise<ServiceTokenRotationView> {
    await this.services.get(userId, serviceId);
    const token = generateCredential('serviceToken');
    const expiresAt = new Date(Date.now() + this.config.traces.tokenGraceSeconds * 1000);
    const service = await this.dataSource.transaction(async (manager) => {
      // The same row lock a deploy takes: no deployment starts between the check and the swap.
      const locked = await this.services.lockRow(manager, serviceId);
      const inProgress = await manager.getRepository(Deployment).findOne({
        where: { serviceId, status: In([...IN_PROGRESS_DEPLOYMENT_STATUSES]) },
      });
      if (inProgress) {
        throw new DomainError(
          ErrorCode.Conflict,
          `Deployment ${inProgress.id} is ${inProgress.status}; rotate the token once it has ended`,
        );
      }
      locked.previousTokenHash = locked.tokenHash;
      locked.previousTokenExpiresAt = expiresAt;
      locked.tokenHash = this.hasher.hash(token);
      locked.tokenCiphertext = this.secretBox.encrypt(token);
      return manager.getRepository(Service).save(locked);
    });
    await this.publishRevocation(service.id);
    const deployment = await this.rollOut(userId, service);
    return {
      service_id: service.id,
      previous_token_expires_at: expiresAt.toISOString(),
      deployment_id: deployment?.id ?? null,
    };
  }

  /** The live deployment again, same image and settings: its instances get the new token. */
  private async rollOut(userId: string, service: Service): Promise<Deployment | null> {
    if (service.instances === 0) return null; // paused: scaling up renders the new token
    const live = await this.liveDeployment(service);
    if (!live?.image) return null;
    const ref = await this.deployments.refOf(service);
    const id = randomUUID();
    this.deployments.assertSpec(service, ref, id, live.image, live.imageDigest, live.settings);
    return this.deployments.launch(userId, service, ref, {
      id,
      trigger: 'token_rotation',
      image: live.image,
      imageDigest: live.imageDigest,
      source: live.source,
      build: false,
      settings: live.settings,
    });
  }

  private async liveDeployment(service: Service): Promise<Deployment | null> {
    try {
      return await this.deployments.current(service);
    } catch (error) {
      // current() answers 409 when nothing ever succeeded: then nothing runs a token.
      if (error instanceof DomainError && error.code === ErrorCode.Conflict) return null;
      throw error;
    }
  }

  /** The collector drops its cached lookups of the service; a lost message only delays that. */
  private async publishRevocation(serviceId: string): Promise<void> {
    try {
      await this.redis.connection.publish(
        CHANNELS.serviceTokenRevocations,
        JSON.stringify(
          RevocationMessageSchema.parse({ id: serviceId, revokedAt: new Date().toISOString() }),
        ),
      );
    } catch (error) {
      this.logger.warn(
        `token revocation of service ${serviceId} not published: ${(error as Error).message}`,
      );
    }
  }
}

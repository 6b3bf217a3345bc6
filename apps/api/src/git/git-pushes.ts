import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { GitDeploys } from '../deployments/git-deploys';
import { RedisClient } from '../redis/redis.module';
import { Service } from '../services/service.entity';
import { ServiceRepositories } from '../services/service-repositories';
import { deliveryId, parsePush, verifyPush, type Headers } from './push-events';

/** How long a delivery is remembered: hosts redeliver within hours, by hand within a day. */
const DELIVERY_TTL_SECONDS = 24 * 60 * 60;

export interface PushOutcome {
  deployed: boolean;
  deployment_id: string | null;
  reason: string;
}

/** A verified push to the connected branch deploys its head, once per delivery. */
@Injectable()
export class GitPushes {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repos: ServiceRepositories,
    private readonly git: GitDeploys,
    private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async receive(
    serviceId: string,
    headers: Headers,
    rawBody: Buffer,
    body: unknown,
  ): Promise<PushOutcome> {
    const repo = await this.repos.find(serviceId);
    const service =
      repo && (await this.dataSource.getRepository(Service).findOneBy({ id: serviceId }));
    if (!repo || !service) {
      throw DomainError.notFound('Service connected to a git repository', serviceId);
    }
    const verified = verifyPush(headers, rawBody, this.repos.webhookSecret(repo));
    if (!verified.ok) throw DomainError.unauthorized(verified.reason);

    const event = parsePush(verified.host, headers, body);
    if (event.kind === 'invalid') throw DomainError.validation(event.reason);
    if (event.kind === 'other')
      return ignored(`'${event.event}' events are not pushes: nothing to do`);
    if (event.branch !== repo.branch) {
      return ignored(
        `push to ${event.branch === null ? 'a tag' : `'${event.branch}'`}; the service deploys '${repo.branch}'`,
      );
    }
    if (event.deleted) return ignored(`the push deleted '${repo.branch}': nothing to build`);

    const delivery = deliveryId(headers, event);
    const key = delivery && `${this.config.queues.prefix}:git-delivery:${serviceId}:${delivery}`;
    if (
      key &&
      (await this.redis.connection.set(key, '1', 'EX', DELIVERY_TTL_SECONDS, 'NX')) === null
    ) {
      return ignored(`already received (${delivery}): not deployed again`);
    }
    try {
      const deployment = await this.git.deployBranchHead(
        service.createdBy,
        service,
        repo,
        'git_push',
      );
      return {
        deployed: true,
        deployment_id: deployment.id,
        reason: `push to '${repo.branch}'${event.sha ? ` (${event.sha.slice(0, 7)})` : ''}: deploying its head`,
      };
    } catch (error) {
      // Not deployed: a redelivery may try again.
      if (key) await this.redis.connection.del(key).catch(() => undefined);
      throw error;
    }
  }
}

function ignored(reason: string): PushOutcome {
  return { deployed: false, deployment_id: null, reason };
}

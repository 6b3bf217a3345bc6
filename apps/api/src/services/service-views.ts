import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';
import { toServiceView, type ServiceView } from './service.dto';
import { type Service } from './service.entity';
import { ServiceRepositories, toRepoView } from './service-repositories';

/** Services as answers show them, with their repository (its webhook on the public URL). */
@Injectable()
export class ServiceViews {
  constructor(
    private readonly repos: ServiceRepositories,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** `origin`: the address the request came to, used when no public URL is configured. */
  publicUrl(origin: string): string {
    return this.config.publicUrl ?? origin;
  }

  /** `webhookSecret`: shown in this answer only (the one that connected the repository). */
  async one(service: Service, origin: string, webhookSecret?: string): Promise<ServiceView> {
    const repo = await this.repos.find(service.id);
    return toServiceView(service, repo && toRepoView(repo, this.publicUrl(origin), webhookSecret));
  }

  async many(services: readonly Service[], origin: string): Promise<ServiceView[]> {
    const repos = await this.repos.findMany(services.map((service) => service.id));
    return services.map((service) => {
      const repo = repos.get(service.id);
      return toServiceView(service, repo ? toRepoView(repo, this.publicUrl(origin)) : null);
    });
  }
}

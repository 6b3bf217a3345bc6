import { Injectable } from '@nestjs/common';
import { type Service } from './service.entity';

export interface TeardownOptions {
  /** Stop instances at once rather than after the drain and their grace period. */
  readonly force: boolean;
  /** Leave the service's volumes in place. */
  readonly keepVolumes: boolean;
}

export type TeardownStep = (service: Service, options: TeardownOptions) => Promise<void>;

/**
 * What deleting a service must remove besides its row: instances, routes, bundles,
 * images. Modules that own such things register a step at start; the services module
 * need not know them (and cannot import them without a cycle).
 */
@Injectable()
export class ServiceTeardown {
  private readonly steps: { name: string; step: TeardownStep }[] = [];

  register(name: string, step: TeardownStep): void {
    this.steps.push({ name, step });
  }

  /** Runs every step in registration order; the first failure stops and names the step. */
  async run(service: Service, options: TeardownOptions): Promise<void> {
    for (const { name, step } of this.steps) {
      try {
        await step(service, options);
      } catch (error) {
        throw new TeardownError(name, error instanceof Error ? error.message : String(error));
      }
    }
  }
}

export class TeardownError extends Error {
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`could not remove the service's ${step}: ${reason}`);
    this.name = 'TeardownError';
  }
}

import { DiscoveryService } from '@nestjs/core';
import { type ServiceJobName, type ServiceJobPayload } from '@slipway/contracts';
import { type Job } from 'bullmq';

/** Carries out one kind of job of the deploy queue (`SERVICE_JOBS` names them all). */
export interface ServiceJobHandler<N extends ServiceJobName = ServiceJobName> {
  /** Throwing retries the job (with backoff) until its attempts are used up. */
  handle(payload: ServiceJobPayload<N>, job: Job): Promise<void>;
  /** The job used up its attempts: record why, so nothing is left in progress. */
  exhausted?(payload: ServiceJobPayload<N>, error: Error): Promise<void>;
}

/**
 * Marks a provider as the handler of one job name. The processor finds every marked
 * provider at boot and refuses to start when a name has no handler or two.
 */
export const HandlesServiceJob = DiscoveryService.createDecorator<ServiceJobName>();

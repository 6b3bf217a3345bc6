import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@slipway/contracts';
import { APP_CONFIG } from '../config/config.module';
import { type AppConfig } from '../config/config.schema';

/** Name of the flow producer that enqueues `build` → `deploy`. */
export const DEPLOY_FLOW = 'slipway-deploy-flow';

/**
 * The BullMQ connection and the queues the API produces to. Builders consume `build`; the
 * API's own deploy processor consumes `deploy`. Jobs live in Redis, so they survive a
 * restart of any process.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // Workers block on Redis: BullMQ needs unlimited retries per request on its connections.
        connection: { url: config.redis.url, maxRetriesPerRequest: null },
        prefix: config.queues.prefix,
      }),
    }),
    BullModule.registerQueue({ name: QUEUES.deploy }, { name: QUEUES.build }),
    BullModule.registerFlowProducer({ name: DEPLOY_FLOW }),
  ],
  exports: [BullModule],
})
export class QueuesModule {}

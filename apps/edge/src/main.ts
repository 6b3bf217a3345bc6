import { runMain } from '@slipway/app-config';
import pino from 'pino';
import type { EdgeConfig } from './config/config.schema';
import { loadEdgeConfig, redactConfig } from './config/load-config';
import { createEdge } from './edge';
import { supervise } from './supervisor';

/** Set on the agent the supervisor starts; the process without it is the supervisor. */
const ROLE_ENV = 'SLIPWAY_EDGE_PROCESS_ROLE';

/** The agent: programs HAProxy until SIGTERM, then drains and stops it. */
async function runAgent(config: EdgeConfig): Promise<void> {
  const logger = pino({ name: 'slipway-edge', level: config.log.level });
  logger.info({ config: redactConfig(config) }, 'starting the Slipway edge agent');
  const edge = await createEdge({ config, logger });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn(`${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: draining in-flight requests and WebSockets`);
    edge.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/**
 * The supervisor (the container's main process): checks the config once, so a bad one is
 * reported rather than retried, then keeps the agent running and passes signals on.
 */
function runSupervisor(config: EdgeConfig): Promise<void> {
  const logger = pino({ name: 'slipway-edge-supervisor', level: config.log.level });
  const agent = supervise({
    command: process.execPath,
    args: [...process.execArgv, __filename],
    env: { ...process.env, [ROLE_ENV]: 'agent' },
    logger,
  });
  const stop = (signal: NodeJS.Signals): void => {
    agent.stop(signal).then(
      (code) => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return Promise.resolve();
}

void runMain(
  'Slipway edge',
  () => loadEdgeConfig(process.env),
  process.env[ROLE_ENV] === 'agent' ? runAgent : runSupervisor,
);

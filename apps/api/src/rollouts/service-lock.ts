import { type DataSource, type QueryRunner } from 'typeorm';

const POLL_MS = 500;

/**
 * One rollout per service at a time, across every API process: a PostgreSQL advisory lock
 * held on its own connection for the rollout's duration (released if the process dies).
 * Waiting gives up when `stillWanted` says the deployment no longer needs the lock.
 */
export async function acquireServiceLock(
  dataSource: DataSource,
  serviceId: string,
  stillWanted: () => Promise<boolean>,
): Promise<QueryRunner | undefined> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    for (;;) {
      const rows = (await runner.query(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
        [`slipway:rollout:${serviceId}`],
      )) as { locked: boolean }[];
      if (rows[0]?.locked) return runner;
      if (!(await stillWanted())) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    await runner.release();
    throw error;
  }
  await runner.release();
  return undefined;
}

export async function releaseServiceLock(runner: QueryRunner, serviceId: string): Promise<void> {
  try {
    await runner.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [
      `slipway:rollout:${serviceId}`,
    ]);
  } finally {
    await runner.release();
  }
}

import { type Logger } from '@nestjs/common';

/**
 * Runs `task` every `intervalMs` in the background: never two passes at once (a slow pass
 * delays the next), a failed pass logged as a warning, and nothing keeping the process
 * alive. `stop()` ends the schedule and waits for a pass in progress.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly what: string,
    private readonly task: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.task()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.logger.warn(`${this.what} failed: ${(error as Error).message}`);
        })
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

import { type Logger } from '@nestjs/common';
import { PeriodicTask } from './periodic-task';

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (message: string) => warnings.push(message) } as unknown as Logger & {
    warnings: string[];
  };
}

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the task every interval, never two passes at once', async () => {
    let release: () => void = () => undefined;
    let passes = 0;
    const task = new PeriodicTask(
      'pass',
      () => {
        passes += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
      logger(),
    );
    task.start(1000);
    await jest.advanceTimersByTimeAsync(3500);
    expect(passes).toBe(1); // the first pass is still running
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(passes).toBe(2);
    release();
    await task.stop();
  });

  it('logs a failed pass and keeps going; stop waits for the pass in progress', async () => {
    const log = logger();
    let calls = 0;
    const task = new PeriodicTask(
      'sweep',
      () => (++calls === 1 ? Promise.reject(new Error('db down')) : Promise.resolve()),
      log,
    );
    task.start(100);
    await jest.advanceTimersByTimeAsync(250);
    expect(log.warnings).toEqual(['sweep failed: db down']);
    expect(calls).toBe(2);
    await task.stop();
    await jest.advanceTimersByTimeAsync(1000);
    expect(calls).toBe(2);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { supervise } from './supervisor';

describe('supervise', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slp-supervise-'));
    // Counts its starts; exits at once the first two times, then runs until SIGTERM (exit 0).
    // The SIGTERM handler comes before the count: once the test reads 3, a stop must find it
    // (a loaded machine may pause the child between any two of these lines).
    await writeFile(
      join(dir, 'child.js'),
      `const fs = require('node:fs');
       process.on('SIGTERM', () => process.exit(0));
       const file = process.argv[2];
       const starts = Number(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '0') + 1;
       fs.writeFileSync(file, String(starts));
       if (starts <= 2) process.exit(3);
       setInterval(() => undefined, 1000);`,
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('restarts a child that exits unasked, then stops it on request without a restart', async () => {
    const counter = join(dir, 'starts');
    const agent = supervise({
      command: process.execPath,
      args: [join(dir, 'child.js'), counter],
      env: process.env,
      logger: pino({ level: 'silent' }),
      minDelayMs: 10,
    });
    // The third child has started once it counted itself.
    await until(() => existsSync(counter) && readFileSync(counter, 'utf8') === '3');
    expect(agent.starts()).toBe(3);
    expect(agent.pid()).toEqual(expect.any(Number));
    expect(await agent.stop()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(agent.starts()).toBe(3);
    expect(agent.pid()).toBeUndefined();
  });
});

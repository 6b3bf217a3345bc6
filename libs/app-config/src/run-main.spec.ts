import { ConfigError } from './config-error';
import { runMain } from './run-main';

describe('runMain', () => {
  let exit: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as () => never);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    exit.mockRestore();
    stderr.mockRestore();
  });

  it('starts with the loaded config', async () => {
    const start = jest.fn(() => Promise.resolve());
    await runMain('Test app', () => ({ port: 1 }), start);
    expect(start).toHaveBeenCalledWith({ port: 1 });
    expect(exit).not.toHaveBeenCalled();
  });

  it('prints every config problem and exits 1 without starting', async () => {
    const start = jest.fn(() => Promise.resolve());
    await runMain(
      'Test app',
      () => {
        throw new ConfigError(['A: bad', 'B: worse'], 'Invalid test configuration');
      },
      start,
    );
    expect(stderr).toHaveBeenCalledWith('Invalid test configuration:\n  - A: bad\n  - B: worse\n');
    expect(exit).toHaveBeenCalledWith(1);
    expect(start).not.toHaveBeenCalled();
  });

  it('reports any other failure to load or start as a failed start and exits 1', async () => {
    await runMain(
      'Test app',
      () => {
        throw new Error('no config dir');
      },
      () => Promise.resolve(),
    );
    await runMain(
      'Test app',
      () => 1,
      () => Promise.reject(new Error('port in use')),
    );
    await runMain(
      'Test app',
      () => 1,
      // A rejection that is not an Error is the case under test.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      () => Promise.reject('plain reason'),
    );
    const written = stderr.mock.calls.map(([text]) => String(text));
    expect(written[0]).toMatch(/^Test app failed to start: Error: no config dir\n/);
    expect(written[1]).toMatch(/^Test app failed to start: Error: port in use\n/);
    expect(written[2]).toBe('Test app failed to start: plain reason\n');
    expect(exit.mock.calls).toEqual([[1], [1], [1]]);
  });
});

import {
  colorEnabled,
  formatError,
  formatFields,
  formatTable,
  Output,
  paintStatus,
} from './output';
import { envPairs } from './deploy-settings';
import { UsageError } from './errors';
import { run } from './program';

function sink(isTTY = false): { write(text: string): boolean; isTTY: boolean; text: string } {
  return {
    isTTY,
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
}

describe('output', () => {
  it('uses colours only on a terminal and never with NO_COLOR', () => {
    expect(colorEnabled(sink(true), {})).toBe(true);
    expect(colorEnabled(sink(false), {})).toBe(false);
    expect(colorEnabled(sink(true), { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(sink(true), { NO_COLOR: '' })).toBe(false);
    expect(paintStatus('succeeded', false)).toBe('succeeded');
    expect(paintStatus('succeeded', true)).toBe('\u001b[32msucceeded\u001b[0m');
  });

  it('prints errors as one `error: ` line', () => {
    expect(formatError('service not found')).toBe('error: service not found\n');
    expect(formatError('boom', true)).toBe('\u001b[31merror:\u001b[0m boom\n');
  });

  it('aligns tables and fields, showing empty cells as -', () => {
    expect(
      formatTable(
        ['id', 'name'],
        [
          ['a1', 'web'],
          ['b', null],
        ],
      ),
    ).toBe('ID  NAME\na1  web\nb   -\n');
    expect(
      formatFields([
        ['id', 'x'],
        ['hostname', undefined],
      ]),
    ).toBe('id:       x\nhostname: -\n');
  });

  it('prints JSON with --json and the human form otherwise', () => {
    const stdout = sink();
    new Output(true, stdout, sink(), {}).result({ a: 1 }, () => 'human\n');
    expect(JSON.parse(stdout.text)).toEqual({ a: 1 });
    const plain = sink();
    new Output(false, plain, sink(), {}).result({ a: 1 }, () => 'human\n');
    expect(plain.text).toBe('human\n');
  });
});

describe('--env pairs', () => {
  it('pairs NAME VALUE arguments', () => {
    expect(envPairs('--env', ['A', '1', 'B', 'two words'], false)).toEqual([
      { name: 'A', value: '1', secret: false },
      { name: 'B', value: 'two words', secret: false },
    ]);
    expect(envPairs('--env-secret', ['K', 's'], true)).toEqual([
      { name: 'K', value: 's', secret: true },
    ]);
  });

  it('is a usage error without a value', () => {
    expect(() => envPairs('--env', ['A'], false)).toThrow(UsageError);
  });
});

describe('exit codes', () => {
  it('answers 2 for usage errors and prints `error: ` for them', async () => {
    const stderr = sink();
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await run(['service', 'get'], stderr)).toBe(2);
      expect(await run(['no-such-command'], stderr)).toBe(2);
      expect(await run(['service', 'scale', '--id', 'x', '--instances', 'many'], stderr)).toBe(2);
      expect(
        await run(['service', 'deploy', '--id', 'x', '--image', 'y', '--env', 'A'], stderr),
      ).toBe(2);
      expect(stderr.text).toBe(
        'error: name the service: --id SERVICE_ID or --name NAME\n' +
          'error: --env takes two values, NAME and VALUE (got "A")\n',
      );
      const commanderErrors = write.mock.calls.map(([text]) => String(text)).join('');
      expect(commanderErrors).toContain(
        "error: option '--instances <n>' argument 'many' is invalid",
      );
      expect(commanderErrors).toContain("error: unknown command 'no-such-command'");
    } finally {
      write.mockRestore();
    }
  });
});

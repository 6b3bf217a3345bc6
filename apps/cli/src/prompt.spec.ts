import { PassThrough } from 'node:stream';
import { terminalPrompter } from './prompt';

function terminal(): { input: PassThrough; output: PassThrough; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { input, output, shown: () => text };
}

describe('terminal prompts', () => {
  it('shows the question and the typed answer, and falls back on an empty one', async () => {
    const { input, output, shown } = terminal();
    const prompter = terminalPrompter(input, output);
    const first = prompter.ask('API URL [http://localhost:3000]: ', {
      fallback: 'http://localhost:3000',
    });
    input.write('http://api.test\r');
    await expect(first).resolves.toBe('http://api.test');
    const second = prompter.ask('Again: ', { fallback: 'kept' });
    input.write('\r');
    await expect(second).resolves.toBe('kept');
    prompter.close();
    expect(shown()).toContain('API URL [http://localhost:3000]: ');
    expect(shown()).toContain('http://api.test');
  });

  it('does not echo a hidden answer', async () => {
    const { input, output, shown } = terminal();
    const prompter = terminalPrompter(input, output);
    const answer = prompter.ask('Token (input hidden): ', { hidden: true });
    input.write('slp_pat_secret_value\r');
    await expect(answer).resolves.toBe('slp_pat_secret_value');
    prompter.close();
    expect(shown()).toContain('Token (input hidden): ');
    expect(shown()).not.toContain('secret');
  });
});

/** Questions on the terminal for `slipway config` run without flags. */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { CliError } from './errors';

export interface Prompter {
  /** Asks; an empty answer is `fallback` when there is one. */
  ask(question: string, options?: { fallback?: string; hidden?: boolean }): Promise<string>;
  close(): void;
}

/**
 * Prompts on `output` (a terminal), reading `input`. A hidden answer is read with the echo
 * muted: readline writes through a stream that drops everything while muted.
 */
export function terminalPrompter(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stderr,
): Prompter {
  let muted = false;
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) output.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output: echo, terminal: true });
  const interrupted = new AbortController();
  rl.on('SIGINT', () => interrupted.abort());
  return {
    async ask(question, options = {}) {
      // The question is written before the echo is muted: only the typed answer is hidden.
      const answer = rl.question(question, { signal: interrupted.signal });
      muted = options.hidden === true;
      try {
        const text = (await answer).trim();
        return text === '' && options.fallback !== undefined ? options.fallback : text;
      } catch (error) {
        if (interrupted.signal.aborted) throw new CliError('cancelled: nothing was saved');
        throw error;
      } finally {
        if (muted) output.write('\n');
        muted = false;
      }
    },
    close() {
      rl.close();
    },
  };
}

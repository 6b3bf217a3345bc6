import { createConnection } from 'node:net';

/** HAProxy answered a Runtime API command with an error. */
export class RuntimeApiError extends Error {
  constructor(
    readonly command: string,
    readonly answer: string,
  ) {
    super(`HAProxy refused '${command.split(' ', 3).join(' ')}': ${answer.trim() || 'no answer'}`);
    this.name = 'RuntimeApiError';
  }
}

// Answers that mean a command failed; every other answer (often empty) is success.
const FAILED =
  /^(Unknown|Missing|Unable|Not found|Value|Invalid|Malformed|Can't|This command|Permission|Require)/m;

/**
 * HAProxy's Runtime API over its admin socket: one connection per command, as the
 * non-interactive mode expects. A `payload` is sent with the `<<` form (one entry per line),
 * which is how whole maps are loaded without a command per entry.
 */
export class RuntimeApi {
  constructor(
    private readonly socketPath: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async execute(command: string, payload?: string): Promise<string> {
    const text =
      payload === undefined ? `${command}\n` : `${command} <<\n${payload.replace(/\n+$/, '')}\n\n`;
    const answer = await this.send(text);
    if (FAILED.test(answer)) throw new RuntimeApiError(command, answer);
    return answer;
  }

  /** Whether HAProxy answers on its socket. */
  async alive(): Promise<boolean> {
    try {
      return (await this.send('show info\n')).includes('Pid:');
    } catch {
      return false;
    }
  }

  private send(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(this.socketPath);
      const chunks: Buffer[] = [];
      socket.setTimeout(this.timeoutMs, () =>
        socket.destroy(new Error(`HAProxy's Runtime API did not answer in ${this.timeoutMs} ms`)),
      );
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', reject);
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.end(text);
    });
  }
}

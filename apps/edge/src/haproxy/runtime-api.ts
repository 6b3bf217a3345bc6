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

// A command that changes something answers nothing on success (`prepare map` its version);
// any other text is HAProxy saying why not ("Key not found.", "Unknown map identifier…").
const QUIET_SUCCESS = /^New version created: \d+$/gm;

/**
 * HAProxy's Runtime API over its admin socket: one connection per command line (several
 * commands joined with `;`), as the non-interactive mode expects. `show` commands answer
 * text; any other command fails unless it answers nothing. A `payload` is sent with the `<<` form (one entry per line),
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
    if (!command.startsWith('show ') && answer.replace(QUIET_SUCCESS, '').trim() !== '') {
      throw new RuntimeApiError(command, answer);
    }
    return answer;
  }

  /** HTTP requests a frontend has received since HAProxy started (`show stat`'s req_tot). */
  async frontendRequests(frontend: string): Promise<number> {
    const [header = '', ...rows] = (await this.execute('show stat')).split('\n');
    const column = header.replace(/^# /, '').split(',').indexOf('req_tot');
    const row = rows.find((line) => line.startsWith(`${frontend},FRONTEND,`));
    const value = Number(row?.split(',')[column]);
    if (column < 0 || !Number.isInteger(value))
      throw new Error(`HAProxy has no frontend ${frontend}`);
    return value;
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

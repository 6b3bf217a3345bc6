import { type Env } from './config';

export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colorEnabled(stream: Stream, env: Env = process.env): boolean {
  return stream.isTTY === true && env.NO_COLOR === undefined;
}

const CODES = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
export type Color = keyof typeof CODES;

export function paint(text: string, color: Color, enabled: boolean): string {
  return enabled ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** The one shape of a failure on stderr. */
export function formatError(message: string, color = false): string {
  return `${paint('error:', 'red', color)} ${message}\n`;
}

const STATUS_COLORS: Record<string, Color> = {
  succeeded: 'green',
  running: 'green',
  building: 'yellow',
  deploying: 'yellow',
  degraded: 'yellow',
  paused: 'dim',
  sleeping: 'dim',
  waking: 'yellow',
  failed: 'red',
  build_failed: 'red',
  deployment_failed: 'red',
  cancelled: 'red',
  active: 'green',
  ready: 'green',
  starting: 'yellow',
  restarting: 'yellow',
  revoked: 'red',
  expired: 'dim',
  exited: 'red',
};

export function paintStatus(status: string, color: boolean): string {
  const tone = STATUS_COLORS[status];
  return tone ? paint(status, tone, color) : status;
}

export type Cell = string | number | boolean | null | undefined;

function text(cell: Cell): string {
  return cell === null || cell === undefined || cell === '' ? '-' : String(cell);
}

/** Columns padded to their widest cell, with an upper-case header. */
export function formatTable(headers: readonly string[], rows: readonly Cell[][]): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((row) => row.map(text))];
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  return cells
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** `key: value` lines, keys aligned. */
export function formatFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length)) + 1;
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width)} ${text(value)}\n`).join('');
}

/** Where commands write: stdout for results, stderr for progress and errors. */
export class Output {
  readonly color: boolean;
  readonly errorColor: boolean;

  constructor(
    readonly json: boolean,
    private readonly stdout: Stream = process.stdout,
    private readonly stderr: Stream = process.stderr,
    env: Env = process.env,
  ) {
    this.color = colorEnabled(stdout, env);
    this.errorColor = colorEnabled(stderr, env);
  }

  /** `--json` prints `value` as JSON; otherwise `human()` is printed. */
  result(value: unknown, human: () => string): void {
    this.stdout.write(this.json ? `${JSON.stringify(value, null, 2)}\n` : human());
  }

  /** Streamed results (log lines) on stdout, as they arrive. */
  text(text: string): void {
    this.stdout.write(text);
  }

  line(text: string): void {
    this.stdout.write(`${text}\n`);
  }

  progress(message: string): void {
    this.stderr.write(`${message}\n`);
  }

  /** Raw text (a build log) on stderr, as it arrives. */
  log(text: string): void {
    this.stderr.write(text);
  }
}

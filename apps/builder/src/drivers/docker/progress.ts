/**
 * Reading the Engine's JSON progress streams (build and push) through
 * `modem.followProgress`, and remembering enough of a build's output to explain a failure.
 */
import type Docker from 'dockerode';

/** One message of a build or push progress stream. */
export interface ProgressEvent {
  stream?: string;
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  aux?: { ID?: string; Digest?: string; Tag?: string };
  error?: string;
  errorDetail?: { code?: number; message?: string };
}

/**
 * Follows a progress stream to its end, handing each event to `onEvent` (which must not
 * throw). Rejects only when the stream itself breaks; errors *reported* in the stream are
 * events like any other.
 */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onEvent: (event: ProgressEvent) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: ProgressEvent) => onEvent(event),
    );
  });
}

/** How many of a failing step's last output lines go into the failure reason. */
export const FAILURE_OUTPUT_LINES = 20;

const STEP_LINE = /^Step (\d+\/\d+) : (.*)$/;
/** The builder's own bookkeeping lines, not the step's output. */
const NOISE_LINE = /^( ---> |Removing intermediate container |Successfully (built|tagged) )/;

/**
 * Splits the `stream` text of a build into lines (a line may arrive in pieces), forwards
 * each line, and keeps the current step and its last output lines.
 */
export class BuildOutputTracker {
  private partial = '';
  private step: { number: string; instruction: string } | undefined;
  private output: string[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line.endsWith('\r') ? line.slice(0, -1) : line);
  }

  /** Emits a last unterminated line, if any. */
  flush(): void {
    if (this.partial) this.line(this.partial);
    this.partial = '';
  }

  /** "step 2/4 `RUN make` failed: <error>" and the step's last output lines. */
  describeFailure(error: string): string {
    this.flush();
    const head = this.step
      ? `step ${this.step.number} \`${this.step.instruction}\` failed: ${error.trim()}`
      : `the build failed: ${error.trim()}`;
    const tail = this.output.slice(-FAILURE_OUTPUT_LINES);
    return tail.length > 0 ? `${head}\nlast output:\n${tail.join('\n')}` : head;
  }

  private line(line: string): void {
    this.onLine(line);
    const step = STEP_LINE.exec(line);
    if (step) {
      this.step = { number: step[1] as string, instruction: step[2] as string };
      this.output = [];
    } else if (line.trim() !== '' && !NOISE_LINE.test(line)) {
      this.output.push(line);
      if (this.output.length > FAILURE_OUTPUT_LINES * 2)
        this.output.splice(0, FAILURE_OUTPUT_LINES);
    }
  }
}

/** Turns a container's log stream into build log lines, keeping the last few for the reason. */
import { Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { BuildLogSink } from '../build-driver';

export class LogLines {
  private partial = '';
  // Keeps a UTF-8 character that is split across chunks whole.
  private readonly decoder = new StringDecoder('utf8');
  private readonly recent: string[] = [];

  constructor(
    private readonly sink: BuildLogSink,
    private readonly keep: number,
  ) {}

  /** The last `keep` lines, oldest first. */
  tail(): readonly string[] {
    return [...this.recent];
  }

  line(text: string): void {
    this.sink.write(text);
    this.recent.push(text);
    if (this.recent.length > this.keep) this.recent.shift();
  }

  /**
   * A stream to pipe one container's log into; ending it flushes an unterminated last
   * line. Each follow attempt gets its own, since a stream cannot be reopened.
   */
  writable(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        const lines = (this.partial + this.decoder.write(chunk)).split('\n');
        this.partial = lines.pop() ?? '';
        for (const text of lines) this.line(text.replace(/\r$/, ''));
        done();
      },
      final: (done) => {
        const rest = this.partial + this.decoder.end();
        this.partial = '';
        if (rest !== '') this.line(rest.replace(/\r$/, ''));
        done();
      },
    });
  }
}

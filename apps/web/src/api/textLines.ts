/**
 * Reads a text stream line by line: `onLines` gets the complete lines of each chunk as it
 * arrives (a line split across chunks waits for its end). Resolves when the stream ends, with
 * its last line even without a final newline, or as soon as `signal` aborts (the stream is
 * cancelled then, so the server sees the reader leave).
 */
export async function readLines(
  stream: ReadableStream<Uint8Array>,
  onLines: (lines: string[]) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = stream.getReader();
  const cancel = () => {
    reader.cancel().catch(() => undefined); // an aborted fetch has errored the body already
  };
  if (signal?.aborted) cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  const decoder = new TextDecoder();
  let partial = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (signal?.aborted) return;
      if (done) break;
      const lines = (partial + decoder.decode(value, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) onLines(lines.map(withoutCarriageReturn));
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    reader.releaseLock();
  }
  const rest = partial + decoder.decode();
  if (rest !== '') onLines([withoutCarriageReturn(rest)]);
}

const withoutCarriageReturn = (line: string): string =>
  line.endsWith('\r') ? line.slice(0, -1) : line;

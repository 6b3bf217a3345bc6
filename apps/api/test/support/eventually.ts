/** Probes until `condition` holds (every 100 ms), failing after `timeoutMs` with the last value seen. */
export async function eventually<T>(
  probe: () => Promise<T>,
  condition: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (condition(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms; last: ${String(JSON.stringify(value)).slice(0, 2000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface StartedContainer {
  stop(): Promise<unknown>;
}

export default async function globalTeardown(): Promise<void> {
  const started =
    (globalThis as { __slipwayContainers?: StartedContainer[] }).__slipwayContainers ?? [];
  await Promise.all(started.map((container) => container.stop()));
}

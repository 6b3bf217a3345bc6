import { writeFile } from 'node:fs/promises';
import { type MapEntries, type MapName, type MapPaths, mapFileText } from './maps';
import type { RuntimeApi } from './runtime-api';

/** Commands per Runtime API connection, and payload bytes per `add map` (within HAProxy's buffer). */
const COMMANDS_PER_BATCH = 100;
const PAYLOAD_BYTES = 8 * 1024;
/** More changes than this in one map are applied as an atomic swap of the whole map. */
const SWAP_THRESHOLD = 500;

export interface MapChanges {
  readonly set?: Iterable<readonly [string, string]>;
  readonly delete?: Iterable<string>;
}

/**
 * HAProxy's maps as the agent last left them, and the means to change them without a reload:
 * the files HAProxy loads at start, then Runtime API commands. Every change is queued, so
 * HAProxy sees them in the order they were asked for. `held` mirrors what HAProxy holds, so
 * an update is `set map` for a key it has and `add map` for one it lacks (`add` would
 * duplicate a key).
 */
export class HaproxyMaps {
  private readonly held = new Map<MapName, Map<string, string>>();
  /** Maps a failed change may have left part-applied: the next sync swaps them whole. */
  private readonly unsure = new Set<MapName>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: RuntimeApi,
    private readonly paths: MapPaths,
  ) {}

  /** What HAProxy holds in `name` (as far as the agent knows). */
  entries(name: MapName): MapEntries {
    return this.held.get(name) ?? new Map();
  }

  /** Writes the map files an HAProxy about to start loads; it then holds exactly these. */
  async writeFiles(content: Readonly<Record<MapName, MapEntries>>): Promise<void> {
    await this.enqueue(async () => {
      for (const name of Object.keys(this.paths) as MapName[]) {
        const entries = new Map(content[name]);
        await writeFile(this.paths[name], mapFileText(entries), { mode: 0o600 });
        this.held.set(name, entries);
        this.unsure.delete(name);
      }
    });
  }

  /** Brings `name` to exactly `desired`: the differences one by one, or a swap when many. */
  sync(name: MapName, desired: MapEntries): Promise<void> {
    return this.enqueue(async () => {
      const held = this.entries(name);
      const set: [string, string][] = [];
      for (const [key, value] of desired) if (held.get(key) !== value) set.push([key, value]);
      const deleted = [...held.keys()].filter((key) => !desired.has(key));
      if (this.unsure.has(name) || set.length + deleted.length > SWAP_THRESHOLD) {
        await this.swap(name, desired);
      } else await this.change(name, set, deleted);
    });
  }

  /** Applies changes to `name` (a key set again with its current value is left alone). */
  update(name: MapName, changes: MapChanges): Promise<void> {
    return this.enqueue(() =>
      this.change(name, [...(changes.set ?? [])], [...(changes.delete ?? [])]),
    );
  }

  /** Replaces `name` atomically: requests see the old map or the new one, never a mix. */
  replace(name: MapName, desired: MapEntries): Promise<void> {
    return this.enqueue(() => this.swap(name, desired));
  }

  /** Empties `name` (a cache HAProxy fills itself). */
  clear(name: MapName): Promise<void> {
    return this.enqueue(async () => {
      await this.api.execute(`clear map ${this.paths[name]}`);
      this.held.set(name, new Map());
    });
  }

  /** Resolves once every change asked for so far reached HAProxy (or failed). */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const run = this.queue.catch(() => undefined).then(work);
    this.queue = run;
    return run;
  }

  private async change(
    name: MapName,
    set: readonly (readonly [string, string])[],
    deleted: readonly string[],
  ): Promise<void> {
    const held = this.ensure(name);
    const file = this.paths[name];
    const commands: string[] = [];
    const after: (() => void)[] = [];
    for (const [key, value] of set) {
      if (held.get(key) === value) continue;
      commands.push(`${held.has(key) ? 'set' : 'add'} map ${file} ${key} ${value}`);
      after.push(() => held.set(key, value));
    }
    for (const key of deleted) {
      if (!held.has(key)) continue;
      commands.push(`del map ${file} ${key}`);
      after.push(() => held.delete(key));
    }
    try {
      for (let i = 0; i < commands.length; i += COMMANDS_PER_BATCH) {
        await this.api.execute(commands.slice(i, i + COMMANDS_PER_BATCH).join(';'));
        for (const apply of after.slice(i, i + COMMANDS_PER_BATCH)) apply();
      }
    } catch (error) {
      this.unsure.add(name);
      throw error;
    }
  }

  private async swap(name: MapName, desired: MapEntries): Promise<void> {
    const file = this.paths[name];
    const prepared = await this.api.execute(`prepare map ${file}`);
    const version = /New version created:\s*(\d+)/.exec(prepared)?.[1];
    if (!version) throw new Error(`HAProxy did not prepare a new version of ${file}: ${prepared}`);
    let payload = '';
    for (const [key, value] of desired) {
      payload += `${key} ${value}\n`;
      if (payload.length >= PAYLOAD_BYTES) {
        await this.api.execute(`add map @${version} ${file}`, payload);
        payload = '';
      }
    }
    if (payload !== '') await this.api.execute(`add map @${version} ${file}`, payload);
    await this.api.execute(`commit map @${version} ${file}`);
    this.held.set(name, new Map(desired));
    this.unsure.delete(name);
  }

  private ensure(name: MapName): Map<string, string> {
    let held = this.held.get(name);
    if (!held) {
      held = new Map();
      this.held.set(name, held);
    }
    return held;
  }
}

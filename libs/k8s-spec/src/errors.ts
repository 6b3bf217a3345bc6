/** One thing wrong with a spec, located by its path (`spec.autoscaling.minReplicas`). */
export interface SpecProblem {
  readonly path: string;
  readonly message: string;
}

/** Thrown by the renderers; `problems` lists every issue found, not just the first. */
export class SpecValidationError extends Error {
  override readonly name = 'SpecValidationError';

  constructor(
    readonly problems: readonly SpecProblem[],
    subject = 'service spec',
  ) {
    super(`invalid ${subject}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  }
}

/** Collects problems while a validator walks a spec. */
export class Problems {
  private readonly list: SpecProblem[] = [];

  /** Records `message` at `path` when it is defined (rule helpers return undefined on success). */
  add(path: string, message: string | undefined): void {
    if (message !== undefined) this.list.push({ path, message });
  }

  /** Checks an optional field with `rule`, unless it was left out. */
  optional<T>(path: string, value: T | undefined, rule: (value: T) => string | undefined): void {
    if (value !== undefined) this.add(path, rule(value));
  }

  get all(): readonly SpecProblem[] {
    return this.list;
  }

  throwIfAny(subject?: string): void {
    if (this.list.length > 0) throw new SpecValidationError(this.list, subject);
  }
}

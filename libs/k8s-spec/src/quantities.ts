/**
 * Value objects for Kubernetes quantities, so specs say `Cpu.millis(500)` or
 * `Size.mebibytes(512)` instead of passing loose strings around.
 */

/** Thrown when a quantity is malformed or out of range. */
export class QuantityError extends Error {
  override readonly name = 'QuantityError';
}

function assertWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new QuantityError(`${what} must be a positive whole number (got ${value})`);
  }
}

/** CPU in millicores (Kubernetes' smallest CPU unit). */
export class Cpu {
  private constructor(readonly millicores: number) {}

  static millis(millicores: number): Cpu {
    assertWhole(millicores, 'CPU millicores');
    return new Cpu(millicores);
  }

  static cores(cores: number): Cpu {
    return Cpu.millis(Math.round(cores * 1000));
  }

  /** Parses `"500m"`, `"2"` or `"0.5"`. */
  static parse(text: string): Cpu {
    const match = /^(\d+(?:\.\d{1,3})?)(m?)$/.exec(text.trim());
    if (!match) {
      throw new QuantityError(`not a CPU quantity (got "${text}"); use e.g. "500m" or "2"`);
    }
    const amount = Number(match[1]);
    if (match[2] === 'm') {
      if (!Number.isInteger(amount)) {
        throw new QuantityError(`millicores must be whole (got "${text}")`);
      }
      return Cpu.millis(amount);
    }
    return Cpu.cores(amount);
  }

  /** Canonical Kubernetes form: whole cores as `"2"`, otherwise `"500m"`. */
  toString(): string {
    return this.millicores % 1000 === 0 ? String(this.millicores / 1000) : `${this.millicores}m`;
  }

  compare(other: Cpu): number {
    return this.millicores - other.millicores;
  }
}

const MEBIBYTE = 1024 * 1024;
const UNITS: Readonly<Record<string, number>> = {
  Ki: 1024,
  Mi: MEBIBYTE,
  Gi: 1024 * MEBIBYTE,
  Ti: 1024 * 1024 * MEBIBYTE,
  k: 1000,
  M: 1000 ** 2,
  G: 1000 ** 3,
  T: 1000 ** 4,
};

/** A byte size (memory or storage). */
export class Size {
  private constructor(readonly bytes: number) {}

  static bytes(bytes: number): Size {
    assertWhole(bytes, 'Size in bytes');
    return new Size(bytes);
  }

  static mebibytes(count: number): Size {
    return Size.bytes(count * MEBIBYTE);
  }

  static gibibytes(count: number): Size {
    return Size.bytes(count * 1024 * MEBIBYTE);
  }

  /** Parses `"512Mi"`, `"1Gi"`, `"500M"` or plain bytes. */
  static parse(text: string): Size {
    const match = /^(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(text.trim());
    if (!match) {
      throw new QuantityError(`not a size (got "${text}"); use e.g. "512Mi" or "10Gi"`);
    }
    return Size.bytes(Number(match[1]) * (match[2] ? (UNITS[match[2]] ?? 1) : 1));
  }

  /** Largest binary unit that divides evenly (`"512Mi"`, `"10Gi"`), else bytes. */
  toString(): string {
    for (const unit of ['Ti', 'Gi', 'Mi', 'Ki'] as const) {
      const factor = UNITS[unit] ?? 1;
      if (this.bytes % factor === 0) return `${this.bytes / factor}${unit}`;
    }
    return String(this.bytes);
  }

  compare(other: Size): number {
    return this.bytes - other.bytes;
  }
}

interface Comparable<T> {
  compare(other: T): number;
}

/** Larger of two quantities; used to keep defaulted limits at or above requests. */
export function maxOf<T extends Comparable<T>>(a: T, b: T): T {
  return a.compare(b) >= 0 ? a : b;
}

/** Smaller of two quantities. */
export function minOf<T extends Comparable<T>>(a: T, b: T): T {
  return a.compare(b) <= 0 ? a : b;
}

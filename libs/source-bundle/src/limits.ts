/** How much a source bundle may hold. The builder takes its values from its config. */
export interface BundleLimits {
  /** Largest compressed (.tar.gz) size in bytes. */
  maxArchiveBytes: number;
  /** Largest total of file sizes once extracted, in bytes. */
  maxExtractedBytes: number;
  /** Most entries (files and directories) in the archive. */
  maxFiles: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = Object.freeze({
  maxArchiveBytes: 100 * MIB,
  maxExtractedBytes: 500 * MIB,
  maxFiles: 20_000,
});

/** `104857600` → `100 MiB`; exact byte counts below 1 KiB. For reasons shown to users. */
export function formatBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'] as const;
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit: string = 'bytes';
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  const rounded = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${rounded} ${unit}`;
}

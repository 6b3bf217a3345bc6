/**
 * Path rules shared by archive entries and the user-given docker.file / docker.context:
 * relative, posix, never through `..`. Both produce the same normalized form, so a
 * Dockerfile path can be looked up in BundleSummary.paths.
 */
import { posix, win32 } from 'node:path';
import { BundleRejectedError, BundleRejection } from './errors';

export const MAX_BUNDLE_PATH_LENGTH = 1024;

type PathProblem = 'absolute' | 'leaves' | 'dotdot' | 'nul';
type FieldProblem = PathProblem | 'backslash' | 'empty' | 'too_long';

function findProblem(path: string): PathProblem | undefined {
  if (path.includes('\0')) return 'nul';
  if (posix.isAbsolute(path) || win32.isAbsolute(path) || /^[A-Za-z]:/.test(path)) {
    return 'absolute';
  }
  // node-tar treats `\` as a separator when it looks for `..`; so do we.
  if (path.split(/[\\/]/).includes('..')) {
    const normalized = posix.normalize(path.replaceAll('\\', '/'));
    return normalized === '..' || normalized.startsWith('../') ? 'leaves' : 'dotdot';
  }
  return undefined;
}

/** `./a//b/` → `a/b`; the bundle root is `.`. Only for paths findProblem accepted. */
function normalizeRelative(path: string): string {
  const normalized = posix.normalize(path).replace(/\/+$/, '');
  return normalized === '' ? '.' : normalized;
}

/** For reasons: control characters escaped, very long paths cut. */
function show(path: string): string {
  const cut = path.length > 120 ? `${path.slice(0, 120)}…` : path;
  return JSON.stringify(cut).slice(1, -1);
}

/** Checks an archive entry's path; returns it normalized or throws naming the entry. */
export function normalizeEntryPath(path: string): string {
  const problem = findProblem(path);
  if (problem === undefined) return normalizeRelative(path);
  const [code, reason] = describe(problem, `entry '${show(path)}'`);
  throw new BundleRejectedError(code, reason, path);
}

/**
 * Validates a user-given path inside the bundle (docker.file / docker.context): relative,
 * posix, no `..` segments, no NUL, at most 1024 characters. Returns the normalized path
 * (`.` for the root) or throws BundleRejectedError with a reason naming the field.
 */
export function normalizeBundlePath(field: string, path: string): string {
  const problem: FieldProblem | undefined =
    path.length === 0
      ? 'empty'
      : path.length > MAX_BUNDLE_PATH_LENGTH
        ? 'too_long'
        : (findProblem(path) ?? (path.includes('\\') ? 'backslash' : undefined));
  if (problem === undefined) return normalizeRelative(path);
  const [code, reason] = describe(problem, `${field} '${show(path)}'`, field);
  throw new BundleRejectedError(code, reason, path);
}

function describe(
  problem: FieldProblem,
  subject: string,
  field = subject,
): [BundleRejection, string] {
  switch (problem) {
    case 'absolute':
      return [
        BundleRejection.AbsolutePath,
        `${subject} is an absolute path (paths must be relative to the bundle root)`,
      ];
    case 'leaves':
      return [
        BundleRejection.PathTraversal,
        `${subject} leaves the bundle (paths must stay inside it)`,
      ];
    case 'dotdot':
      return [
        BundleRejection.PathTraversal,
        `${subject} contains a '..' segment (paths must not use '..')`,
      ];
    case 'nul':
      return [BundleRejection.InvalidPath, `${field} contains a NUL character`];
    case 'backslash':
      return [
        BundleRejection.InvalidPath,
        `${subject} contains a backslash (use '/' as the separator)`,
      ];
    case 'empty':
      return [
        BundleRejection.InvalidPath,
        `${field} must not be empty (use '.' for the bundle root)`,
      ];
    case 'too_long':
      return [
        BundleRejection.InvalidPath,
        `${field} is longer than ${MAX_BUNDLE_PATH_LENGTH} characters`,
      ];
  }
}

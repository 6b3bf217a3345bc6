import { BundleRejectedError, BundleRejection, normalizeBundlePath } from './index';

function rejectionOf(field: string, path: string): BundleRejectedError {
  try {
    normalizeBundlePath(field, path);
  } catch (error) {
    if (error instanceof BundleRejectedError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(path)} to be rejected`);
}

describe('normalizeBundlePath', () => {
  it.each([
    ['Dockerfile', 'Dockerfile'],
    ['./Dockerfile', 'Dockerfile'],
    ['docker//web/Dockerfile', 'docker/web/Dockerfile'],
    ['app/./src/', 'app/src'],
    ['.', '.'],
    ['./', '.'],
    ['a..b/..c', 'a..b/..c'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeBundlePath('docker.file', input)).toBe(expected);
  });

  it.each([
    [
      '/etc/passwd',
      BundleRejection.AbsolutePath,
      "docker.file '/etc/passwd' is an absolute path (paths must be relative to the bundle root)",
    ],
    [
      'C:/Dockerfile',
      BundleRejection.AbsolutePath,
      "docker.file 'C:/Dockerfile' is an absolute path (paths must be relative to the bundle root)",
    ],
    [
      '../Dockerfile',
      BundleRejection.PathTraversal,
      "docker.file '../Dockerfile' leaves the bundle (paths must stay inside it)",
    ],
    [
      'a/../../Dockerfile',
      BundleRejection.PathTraversal,
      "docker.file 'a/../../Dockerfile' leaves the bundle (paths must stay inside it)",
    ],
    [
      'a/../Dockerfile',
      BundleRejection.PathTraversal,
      "docker.file 'a/../Dockerfile' contains a '..' segment (paths must not use '..')",
    ],
    [
      'a\\..\\..\\x',
      BundleRejection.PathTraversal,
      "docker.file 'a\\\\..\\\\..\\\\x' leaves the bundle (paths must stay inside it)",
    ],
    [
      'docker\\Dockerfile',
      BundleRejection.InvalidPath,
      "docker.file 'docker\\\\Dockerfile' contains a backslash (use '/' as the separator)",
    ],
    ['Docker\0file', BundleRejection.InvalidPath, 'docker.file contains a NUL character'],
    [
      '',
      BundleRejection.InvalidPath,
      "docker.file must not be empty (use '.' for the bundle root)",
    ],
    ['a'.repeat(1025), BundleRejection.InvalidPath, 'docker.file is longer than 1024 characters'],
  ])('rejects %j', (input, code, reason) => {
    const error = rejectionOf('docker.file', input);
    expect(error).toMatchObject({ code, reason, message: reason, entry: input });
  });

  it('names the field it checks', () => {
    expect(rejectionOf('docker.context', '../up').reason).toBe(
      "docker.context '../up' leaves the bundle (paths must stay inside it)",
    );
  });

  it('accepts exactly 1024 characters', () => {
    expect(normalizeBundlePath('docker.file', 'a'.repeat(1024))).toBe('a'.repeat(1024));
  });
});

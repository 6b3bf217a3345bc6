import { BundleRejectedError, BundleRejection, inspectBundle } from './index';
import { DOCKERFILE, streamOf, tarGz } from './test-support/archives';
import { maliciousBundles } from './test-support/malicious-bundles';

async function rejectionOf(promise: Promise<unknown>): Promise<BundleRejectedError> {
  const error: unknown = await promise.then(
    () => new Error('expected the bundle to be rejected'),
    (e: unknown) => e,
  );
  if (!(error instanceof BundleRejectedError)) throw error;
  return error;
}

describe('inspectBundle', () => {
  it('summarizes a good bundle: files, directories, bytes and normalized paths', async () => {
    const archive = tarGz([
      { path: './Dockerfile', body: DOCKERFILE },
      { path: './app/', type: 'Directory' },
      { path: './app/src/deep/index.js', body: 'console.log(1)\n' },
      { path: 'app//run.sh', body: '#!/bin/sh\n', mode: 0o755 },
    ]);

    const summary = await inspectBundle(streamOf(archive, 100));

    expect(summary).toEqual({
      files: 3,
      directories: 3,
      totalBytes: DOCKERFILE.length + 15 + 10,
      paths: new Set(['Dockerfile', 'app/src/deep/index.js', 'app/run.sh']),
    });
  });

  it('keeps paths longer than the ustar field (PAX headers)', async () => {
    const long = `${'very-long-directory-name/'.repeat(6)}Dockerfile`;
    const summary = await inspectBundle(streamOf(tarGz([{ path: long, body: DOCKERFILE }])));
    expect([...summary.paths]).toEqual([long]);
  });

  describe('rejects', () => {
    const cases = maliciousBundles({ absolute: '/tmp/slipway-outside', relative: '../outside' });
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, bundle) => {
      const error = await rejectionOf(inspectBundle(streamOf(bundle.archive()), bundle.limits));

      expect(error.code).toBe(bundle.code);
      if (typeof bundle.reason === 'string') expect(error.reason).toBe(bundle.reason);
      else expect(error.reason).toMatch(bundle.reason);
      expect(error.message).toBe(error.reason);
    });
  });

  it('names the entry at fault', async () => {
    const error = await rejectionOf(
      inspectBundle(streamOf(tarGz([{ path: 'lnk', type: 'SymbolicLink', linkpath: '/etc' }]))),
    );
    expect(error).toMatchObject({ code: BundleRejection.Link, entry: 'lnk' });
  });

  it('passes a failing input stream through as it is (not a bundle problem)', async () => {
    const { Readable } = await import('node:stream');
    const broken = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(inspectBundle(broken)).rejects.toThrow('connection reset');
    await expect(inspectBundle(broken)).rejects.not.toBeInstanceOf(BundleRejectedError);
  });
});

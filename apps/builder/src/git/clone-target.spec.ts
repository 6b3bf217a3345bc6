import { BuildFailedError } from '../drivers/build-driver';
import { cloneTargetConfig } from './clone-target';

const resolvesTo =
  (...addresses: string[]) =>
  (): Promise<string[]> =>
    Promise.resolve(addresses);

describe('cloneTargetConfig', () => {
  it('pins a name to the addresses it checked, with the scheme’s port', async () => {
    await expect(
      cloneTargetConfig('https://git.example.com/a.git', resolvesTo('10.0.0.5', '2001:db8::1')),
    ).resolves.toEqual([['http.curloptResolve', 'git.example.com:443:10.0.0.5,[2001:db8::1]']]);
    await expect(
      cloneTargetConfig('http://git.internal:3000/a.git', resolvesTo('192.168.1.2')),
    ).resolves.toEqual([['http.curloptResolve', 'git.internal:3000:192.168.1.2']]);
  });

  it('needs no pin for an IP literal', async () => {
    await expect(cloneTargetConfig('http://127.0.0.1:9418/a.git')).resolves.toEqual([]);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', undefined],
    ['http://metadata.internal/x.git', '169.254.169.254'],
    ['http://[fe80::1]/x.git', undefined],
    ['http://mapped.example/x.git', '::ffff:169.254.169.254'],
    ['http://zero.example/x.git', '0.0.0.0'],
    ['http://multi.example/x.git', '239.1.2.3'],
  ])('refuses %s (resolving to %s), saying why', async (url, address) => {
    const attempt = cloneTargetConfig(url, resolvesTo(address ?? '10.0.0.1'));
    await expect(attempt).rejects.toBeInstanceOf(BuildFailedError);
    await expect(attempt).rejects.toThrow(/link-local, multicast or unspecified/);
  });

  it('refuses when any of the addresses is refused', async () => {
    await expect(
      cloneTargetConfig('http://mixed.example/x.git', resolvesTo('10.0.0.1', '169.254.1.1')),
    ).rejects.toThrow(/169\.254\.1\.1/);
  });

  it('says when the name does not resolve', async () => {
    const failing = (): Promise<string[]> =>
      Promise.reject(Object.assign(new Error('nope'), { code: 'ENOTFOUND' }));
    await expect(cloneTargetConfig('https://nowhere.invalid/x.git', failing)).rejects.toThrow(
      'could not reach nowhere.invalid: the name does not resolve (ENOTFOUND)',
    );
  });
});

/**
 * Where a clone may connect. A repository URL is the user's, so the builder refuses hosts
 * that resolve to addresses no git server has a reason to be at — link-local (where cloud
 * metadata services answer), multicast, unspecified — and pins the addresses it checked for
 * git (`http.curloptResolve`), so a second lookup cannot answer differently.
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { BuildFailedError } from '../drivers/build-driver';

const NEVER = new BlockList();
NEVER.addSubnet('0.0.0.0', 8, 'ipv4');
NEVER.addSubnet('169.254.0.0', 16, 'ipv4');
NEVER.addSubnet('224.0.0.0', 4, 'ipv4');
NEVER.addAddress('::', 'ipv6');
NEVER.addSubnet('fe80::', 10, 'ipv6');
NEVER.addSubnet('ff00::', 8, 'ipv6');
// The same IPv4 ranges written as IPv4-mapped IPv6 addresses.
NEVER.addSubnet('::ffff:0.0.0.0', 104, 'ipv6');
NEVER.addSubnet('::ffff:169.254.0.0', 112, 'ipv6');
NEVER.addSubnet('::ffff:224.0.0.0', 100, 'ipv6');

export type Resolve = (host: string) => Promise<string[]>;

const resolveAll: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * The git configuration that pins `url`'s host to its checked addresses (none for an IP
 * literal). Throws BuildFailedError for a host that does not resolve or may not be cloned from.
 */
export async function cloneTargetConfig(
  url: string,
  resolve: Resolve = resolveAll,
): Promise<[string, string][]> {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new BuildFailedError(`could not reach ${host}: the name does not resolve (${code})`);
  }
  const refused = addresses.find((address) =>
    NEVER.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4'),
  );
  if (refused !== undefined) {
    throw new BuildFailedError(
      `${url} is not cloned: ${host} resolves to ${refused}, a link-local, multicast or unspecified address (where cloud metadata services answer), not a git server`,
    );
  }
  if (isIP(host) !== 0 || addresses.length === 0) return [];
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  const pinned = addresses.map((address) => (isIP(address) === 6 ? `[${address}]` : address));
  return [['http.curloptResolve', `${host}:${port}:${pinned.join(',')}`]];
}

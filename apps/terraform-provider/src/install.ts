/**
 * `terraform-provider-slipway install --mirror DIR`: lays the provider out as an unpacked
 * local filesystem mirror (registry.terraform.io/slipway/slipway/VERSION/OS_ARCH/), so
 * `terraform init` finds it with no registry, and prints the CLI configuration to use.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { PROVIDER_SOURCE } from '@slipway/iac';

export const INSTALL_USAGE = `Usage: terraform-provider-slipway install --mirror DIR

Installs this provider into DIR as a Terraform filesystem mirror and prints the
provider_installation block for your Terraform CLI configuration (~/.terraformrc or
TF_CLI_CONFIG_FILE). Terraform itself starts the provider; it is not run by hand.
`;

const HOSTNAME = 'registry.terraform.io';

/** Terraform's platform names: linux_amd64, darwin_arm64… */
export function platform(os: string = process.platform, arch: string = process.arch): string {
  const archs: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${os}_${archs[arch] ?? arch}`;
}

export async function providerVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(__dirname, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Where the executable goes in the mirror. */
export function mirrorPath(mirror: string, version: string): string {
  const [namespace, type] = PROVIDER_SOURCE.split('/') as [string, string];
  return join(
    resolve(mirror),
    HOSTNAME,
    namespace,
    type,
    version,
    platform(),
    `terraform-provider-${type}_v${version}`,
  );
}

export function cliConfig(mirror: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(resolve(mirror))}
    include = ["${HOSTNAME}/${PROVIDER_SOURCE}"]
  }
  direct {
    exclude = ["${HOSTNAME}/${PROVIDER_SOURCE}"]
  }
}
`;
}

export async function installMirror(args: string[]): Promise<number> {
  const at = args.indexOf('--mirror');
  const mirror = at >= 0 ? args[at + 1] : undefined;
  if (!mirror || args.length !== 2) {
    process.stderr.write(INSTALL_USAGE);
    return 2;
  }
  const version = await providerVersion();
  const target = mirrorPath(mirror, version);
  await mkdir(resolve(target, '..'), { recursive: true });
  // A launcher that runs this installation with the Node.js that installed it.
  const main = join(__dirname, 'main.js');
  await writeFile(
    target,
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(main)} "$@"\n`,
  );
  await chmod(target, 0o755);
  process.stdout.write(
    `Installed ${PROVIDER_SOURCE} ${version} (${platform()}) at\n  ${target}\n\nAdd to your Terraform CLI configuration (~/.terraformrc, or a file named by TF_CLI_CONFIG_FILE):\n\n${cliConfig(mirror)}`,
  );
  return 0;
}

/**
 * terraform-provider-slipway: served to Terraform when Terraform starts it; otherwise
 * `install --mirror DIR` puts it in a local filesystem mirror for `terraform init`.
 */
import { installMirror, INSTALL_USAGE } from './install';
import { handshakeProblem, serve } from './plugin/serve';
import { SlipwayProvider } from './provider';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'install') return installMirror(argv.slice(1));
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(INSTALL_USAGE);
    return 0;
  }
  const problem = handshakeProblem(process.env);
  if (problem) {
    process.stderr.write(`${problem}\n`);
    return 1;
  }
  const provider = new SlipwayProvider();
  // Shut down when go-plugin's host asks, once the answer to that call has gone out.
  const serving = await serve(provider.handlers, process.env, () =>
    serving.server.tryShutdown(() => process.exit(0)),
  );
  process.stdout.write(`${serving.handshake}\n`);
  // Terraform ends the plugin by closing its connection or with SIGTERM/SIGINT.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      serving.server.forceShutdown();
      process.exit(0);
    });
  return new Promise<number>(() => undefined);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`terraform-provider-slipway: ${error.message}\n`);
    process.exit(1);
  },
);

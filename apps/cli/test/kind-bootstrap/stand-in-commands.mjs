// Stand-ins for `docker`, `kind` and `kubectl` (no cluster can run here), for
// kind-bootstrap.contract.spec.ts: each call is recorded in $STAND_IN/calls.jsonl with its argv
// and the KIND_EXPERIMENTAL_DOCKER_NETWORK it saw, and answered as the real command would for
// what deploy/kind/bootstrap.sh asks. The cluster's state lives in $STAND_IN as files.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.env.STAND_IN;
const [command, ...args] = process.argv.slice(2);
async function stdin() {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}
const clustersFile = join(root, 'clusters');
const clusters = () =>
  existsSync(clustersFile) ? readFileSync(clustersFile, 'utf8').split('\n').filter(Boolean) : [];
const flag = (name) => args[args.indexOf(name) + 1];
const record = (extra = {}) =>
  appendFileSync(
    join(root, 'calls.jsonl'),
    `${JSON.stringify({ command, args, network: process.env.KIND_EXPERIMENTAL_DOCKER_NETWORK, ...extra })}\n`,
  );

async function docker() {
  if (args[0] === 'inspect') {
    record();
    return console.log('slipway_default');
  }
  if (args[0] === 'exec') {
    const node = args[1] === '-i' ? args[2] : args[1];
    const rest = args.slice(args[1] === '-i' ? 3 : 2);
    const path = join(root, 'nodes', node, rest.at(-1));
    if (rest[0] === 'mkdir') mkdirSync(path, { recursive: true });
    if (rest[0] === 'cp') writeFileSync(path, await stdin());
    return record();
  }
  if (args[0] === 'tag' || args[0] === 'push') return record();
  throw new Error(`docker ${args.join(' ')}: not played`);
}

async function kind() {
  const name = flag('--name');
  const verb = args.slice(0, 2).join(' ');
  if (verb === 'get clusters') {
    record();
    return console.log(clusters().join('\n'));
  }
  if (verb === 'create cluster') {
    record({ config: await stdin() });
    return writeFileSync(clustersFile, [...clusters(), name].join('\n'));
  }
  if (verb === 'get nodes' || verb === 'get kubeconfig') {
    record();
    const node = `${name}-control-plane`;
    return console.log(verb === 'get nodes' ? node : `server: https://${node}:6443`);
  }
  if (verb === 'delete cluster') {
    record();
    return writeFileSync(
      clustersFile,
      clusters()
        .filter((c) => c !== name)
        .join('\n'),
    );
  }
  throw new Error(`kind ${args.join(' ')}: not played`);
}

async function kubectl() {
  if (args.includes('apply')) return record({ applied: await stdin() });
  if (args.includes('create') && args.includes('secret')) {
    // What --dry-run=client -o yaml prints, enough to see what reached the Secret.
    const envFile = args.includes('--from-env-file') ? flag('--from-env-file') : undefined;
    record({ envFile: envFile === undefined ? undefined : readFileSync(envFile, 'utf8') });
    return console.log(`kind: Secret\nname: ${args[args.indexOf('generic') + 1]}`);
  }
  if (args.includes('rollout') || args.includes('get')) return record();
  throw new Error(`kubectl ${args.join(' ')}: not played`);
}

await { docker, kind, kubectl }[command]().catch((error) => {
  console.error(error.message);
  process.exit(1);
});

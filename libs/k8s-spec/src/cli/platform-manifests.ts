#!/usr/bin/env node
/**
 * Prints the platform's own objects (renderPlatformObjects) as one `kind: List`, for
 *
 *   slipway-platform-manifests --edge-image IMAGE --collector-image IMAGE | kubectl apply -f -
 *
 * Exits 0 having printed the List; 2 on bad flags, naming each on stderr and printing
 * nothing on stdout, so a pipe into kubectl applies nothing.
 */
import { parseArgs } from 'node:util';
import {
  IMAGE_PULL_POLICIES,
  renderPlatformObjects,
  validatePlatformManifestOptions,
  type PlatformManifestOptions,
} from '../platform-manifests';

export const USAGE = `Usage: slipway-platform-manifests --edge-image IMAGE --collector-image IMAGE [options]

Prints the Slipway platform's Kubernetes objects as one JSON List for kubectl apply -f -.

  --edge-image IMAGE             the edge's image (required)
  --collector-image IMAGE        the trace collector's image (required)
  --namespace NAME               the platform's namespace (default slipway)
  --build-namespace NAME         where builds run (default slipway-builds)
  --config-secret NAME           Secret with DATABASE_URL, REDIS_URL, SLIPWAY_SECRET_KEY (default slipway-config)
  --edge-replicas N              (default 2)
  --collector-replicas N         (default 1)
  --edge-node-port PORT          publish the edge as a NodePort Service on PORT (30000-32767)
  --image-pull-policy POLICY     ${IMAGE_PULL_POLICIES.join(', ')} (default: unset, Kubernetes decides)
  -h, --help                     print this and exit
`;

type Option = keyof PlatformManifestOptions;

/** Each flag, the option it sets and whether its value is a whole number. */
const FLAGS = {
  'edge-image': { option: 'edgeImage', integer: false },
  'collector-image': { option: 'collectorImage', integer: false },
  namespace: { option: 'namespace', integer: false },
  'build-namespace': { option: 'buildNamespace', integer: false },
  'config-secret': { option: 'configSecret', integer: false },
  'edge-replicas': { option: 'edgeReplicas', integer: true },
  'collector-replicas': { option: 'collectorReplicas', integer: true },
  'edge-node-port': { option: 'edgeNodePort', integer: true },
  'image-pull-policy': { option: 'imagePullPolicy', integer: false },
} as const satisfies Record<string, { option: Option; integer: boolean }>;
type Flag = keyof typeof FLAGS;
const REQUIRED: readonly Flag[] = ['edge-image', 'collector-image'];
const FLAG_OF = new Map<string, Flag>(
  Object.entries(FLAGS).map(([flag, { option }]) => [option, flag as Flag]),
);

/** Bad command-line input; each of `problems` names the flag it is about. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
  }
}

export type ParsedArgs = { readonly help: true } | { readonly options: PlatformManifestOptions };

/** Node's parseArgs errors (checked by code: under jest they come from another realm). */
function isParseArgsError(error: unknown): error is { code: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') && typeof message === 'string'
  );
}

function readFlags(argv: readonly string[]): Partial<Record<Flag | 'help', string | boolean>> {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }])),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    // An unknown flag, a flag without its value, a stray argument: Node's message names it.
    if (isParseArgsError(error)) throw new UsageError([error.message]);
    throw error;
  }
}

/**
 * Reads the flags into renderPlatformObjects' options, checked as the renderer checks
 * them (so a bad value is refused before anything is printed). Throws UsageError listing
 * every problem, each naming its flag.
 */
export function parsePlatformManifestArgs(argv: readonly string[]): ParsedArgs {
  const values = readFlags(argv);
  if (values.help === true) return { help: true };

  const problems = new Map<Flag, string>();
  const options: Partial<Record<Option, string | number>> = {};
  for (const flag of REQUIRED) {
    if (values[flag] === undefined) problems.set(flag, `--${flag} is required`);
  }
  for (const [flag, { option, integer }] of Object.entries(FLAGS)) {
    const value = values[flag as Flag];
    if (typeof value !== 'string') continue;
    if (!integer) options[option] = value;
    else if (/^\d+$/.test(value)) options[option] = Number(value);
    else
      problems.set(flag as Flag, `--${flag} must be a whole number (got ${JSON.stringify(value)})`);
  }
  const parsed = options as unknown as PlatformManifestOptions;
  for (const { path, message } of validatePlatformManifestOptions(parsed)) {
    const flag = FLAG_OF.get(path);
    if (flag === undefined) throw new Error(`no flag sets the option ${path}`);
    if (!problems.has(flag)) problems.set(flag, `--${flag} ${message}`);
  }
  if (problems.size > 0) throw new UsageError([...problems.values()]);
  return { options: parsed };
}

export interface Output {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The command: prints the List (or the usage) and answers the exit code. */
export function main(argv: readonly string[], output: Output): number {
  let parsed: ParsedArgs;
  try {
    parsed = parsePlatformManifestArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.stderr(
      `${error.problems.map((problem) => `slipway-platform-manifests: ${problem}\n`).join('')}` +
        'Run slipway-platform-manifests --help for the flags.\n',
    );
    return 2;
  }
  if ('help' in parsed) {
    output.stdout(USAGE);
    return 0;
  }
  const list = { apiVersion: 'v1', kind: 'List', items: renderPlatformObjects(parsed.options) };
  output.stdout(`${JSON.stringify(list, null, 2)}\n`);
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

import { writeFile } from 'node:fs/promises';
import {
  apply,
  ApplyError,
  hasChanges,
  IacError,
  plan,
  planJson,
  renderPlan,
  summarize,
  type Plan,
} from '@slipway/iac';
import { type Command } from 'commander';
import { CliError, UsageError } from '../errors';
import { openSession, readStack, type Session, type StackOptions } from '../iac/session';
import { terminalPrompter } from '../prompt';
import { Output } from '../output';
import { group, leaf, type JsonOption } from './common';

/** `plan` exits 2 when it would change something, like `terraform plan -detailed-exitcode`. */
export const EXIT_CHANGES = 2;

interface IacOptions extends StackOptions, JsonOption {
  autoApprove?: boolean;
  outputsFile?: string;
}

const STACK_HELP =
  'Run beside cdktf.json (its `app` synthesizes into cdktf.out/), or point --synth-dir at a synthesized stack. Ownership is kept as labels on the resources: there is no state file.';

function stackOptions(command: Command): Command {
  return command
    .option('--dir <dir>', 'the directory with cdktf.json (default: the current one)')
    .option('--synth-dir <dir>', 'a synthesized stack or synth output (skips synthesis)')
    .option('--stack <name>', 'the stack, when the app synthesizes several');
}

/** IacErrors are the user's to fix: printed as `error: …`, exit 1. */
async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof IacError) throw new CliError(error.message);
    throw error;
  }
}

async function planFor(session: Session, destroy = false): Promise<Plan> {
  return plan({
    stack: session.stack,
    owned: await session.backend.state.owned(),
    variables: session.variables,
    comparable: session.backend.comparable,
    destroy,
  });
}

async function confirm(options: IacOptions, what: string): Promise<void> {
  if (options.autoApprove) return;
  if (!process.stdin.isTTY)
    throw new UsageError(`${what} needs --auto-approve when stdin is not a terminal`);
  const prompter = terminalPrompter();
  try {
    const answer = await prompter.ask(`Do you want to ${what}? Only 'yes' will be accepted: `);
    if (answer !== 'yes') throw new CliError(`${what} cancelled`);
  } finally {
    prompter.close();
  }
}

async function applyPlan(
  session: Session,
  planned: Plan,
  output: Output,
  options: IacOptions,
  verb: 'Apply' | 'Destroy' = 'Apply',
) {
  const owned = new Map(
    planned.resources.flatMap((r) => (r.actual ? [[r.address, r.actual] as const] : [])),
  );
  try {
    const result = await apply({
      plan: planned,
      owned,
      variables: session.variables,
      backend: session.backend,
      onProgress: (address, message) => output.progress(`${address}: ${message}`),
    });
    if (options.outputsFile && Object.keys(result.outputs).length) {
      await writeFile(options.outputsFile, `${JSON.stringify(result.outputs, null, 2)}\n`, {
        mode: 0o600,
      });
    }
    const shown = options.outputsFile
      ? Object.fromEntries(Object.keys(result.outputs).map((k) => [k, '(sensitive)']))
      : result.outputs;
    output.result({ ...result, outputs: shown }, () =>
      [
        `${verb} complete! Resources: ${result.created} added, ${result.updated} changed, ${result.deleted} destroyed.`,
        ...Object.entries(shown).map(
          ([name, value]) => `${name} = ${value}  (shown once: the API cannot show it again)`,
        ),
        '',
      ].join('\n'),
    );
  } catch (error) {
    if (error instanceof ApplyError) {
      const { created, updated, deleted } = error.result;
      throw new CliError(
        `${error.message}\n(applied before it: ${created} added, ${updated} changed, ${deleted} destroyed; run apply again once fixed)`,
      );
    }
    throw error;
  }
}

export function registerIac(program: Command): void {
  const iac = group(program, 'iac', 'Services as code: plan and apply a CDK Terrain stack', [
    'slipway iac plan',
    'slipway iac apply --auto-approve',
    'slipway iac import slipway_service.api SERVICE_ID',
  ]);

  const synth = stackOptions(
    leaf(iac, 'synth', 'Synthesize the stack to Terraform JSON', 'slipway iac synth', STACK_HELP),
  );
  synth.action(async () => {
    const options = synth.opts<IacOptions>();
    const output = new Output(options.json === true);
    const stack = await readStack(options, output);
    output.result(
      { stack: stack.name, dir: stack.dir, resources: stack.resources.map((r) => r.address) },
      () =>
        `Stack ${stack.name} synthesized in ${stack.dir}: ${stack.resources.length} resources\n`,
    );
  });

  const planCommand = stackOptions(
    leaf(
      iac,
      'plan',
      'Show what apply would change (exit 0: nothing, 2: changes, 1: error)',
      'slipway iac plan\n  slipway iac plan --synth-dir cdktf.out --json',
      STACK_HELP,
    ),
  ).option('--destroy', 'plan the removal of everything the stack owns');
  planCommand.action(() =>
    guarded(async () => {
      const options = planCommand.opts<IacOptions & { destroy?: boolean }>();
      const output = new Output(options.json === true);
      const session = await openSession(options, output);
      const planned = await planFor(session, options.destroy === true);
      output.result(planJson(planned), () => renderPlan(planned));
      if (hasChanges(planned)) throw new CliError('', EXIT_CHANGES);
    }),
  );

  const applyCommand = stackOptions(
    leaf(
      iac,
      'apply',
      'Apply the stack: create, update, replace and delete what differs',
      'slipway iac apply\n  slipway iac apply --auto-approve --outputs-file keys.json',
      `${STACK_HELP} Deployments are followed to their outcome; a failure stops the apply and a re-run completes it.`,
    ),
  )
    .option('--auto-approve', 'apply without asking')
    .option(
      '--outputs-file <file>',
      'write created access keys here (mode 600) instead of printing them',
    );
  applyCommand.action(() =>
    guarded(async () => {
      const options = applyCommand.opts<IacOptions>();
      const output = new Output(options.json === true);
      const session = await openSession(options, output);
      const planned = await planFor(session);
      if (!options.json) output.progress(renderPlan(planned).trimEnd());
      if (!hasChanges(planned)) {
        output.result({ created: 0, updated: 0, deleted: 0, outputs: {} }, () => '');
        return;
      }
      await confirm(options, 'apply these changes');
      await applyPlan(session, planned, output, options);
    }),
  );

  const destroy = stackOptions(
    leaf(
      iac,
      'destroy',
      'Delete everything the stack owns (and nothing else)',
      'slipway iac destroy --auto-approve',
      STACK_HELP,
    ),
  ).option('--auto-approve', 'destroy without asking');
  destroy.action(() =>
    guarded(async () => {
      const options = destroy.opts<IacOptions>();
      const output = new Output(options.json === true);
      const session = await openSession(options, output);
      const planned = await planFor(session, true);
      if (!options.json) output.progress(renderPlan(planned).trimEnd());
      if (!hasChanges(planned)) {
        output.result({ created: 0, updated: 0, deleted: 0, outputs: {} }, () => '');
        return;
      }
      await confirm(options, `destroy ${summarize(planned).destroy} resources`);
      await applyPlan(session, planned, output, options, 'Destroy');
    }),
  );

  const importCommand = stackOptions(
    leaf(
      iac,
      'import',
      'Adopt an existing resource into the stack at ADDRESS',
      'slipway iac import slipway_service.api 3f1c…',
      `${STACK_HELP} The resource gets the stack's labels; the next plan shows where it differs from the declaration.`,
    ),
  )
    .argument('<address>', 'the resource address in the stack, e.g. slipway_service.api')
    .argument('<id>', 'the id of the existing resource');
  importCommand.action((address: string, id: string) =>
    guarded(async () => {
      const options = importCommand.opts<IacOptions>();
      const output = new Output(options.json === true);
      const session = await openSession(options, output);
      const declared = session.stack.resources.find((r) => r.address === address);
      if (!declared)
        throw new UsageError(
          `the stack declares no ${address} (it declares ${session.stack.resources.map((r) => r.address).join(', ') || 'nothing'})`,
        );
      const owned = await session.backend.state.owned();
      const holder = owned.get(address);
      if (holder && holder.id !== id)
        throw new CliError(
          `${address} is already ${holder.id} in this stack: remove it from the API first or import elsewhere`,
        );
      const adopted = await session.backend.state.adopt(declared, id);
      output.result({ address, id: adopted.id }, () => `Imported ${address} (id ${adopted.id}).\n`);
    }),
  );
}

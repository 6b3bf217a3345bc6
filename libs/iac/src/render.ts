/** Plans printed the way Terraform prints them, secrets as `(sensitive value)`. */
import { isDeepStrictEqual } from 'node:util';
import { UNKNOWN, type Action, type AttributeChange, type Plan, type Value } from './plan';

const HEADERS: Record<Exclude<Action, 'no-op'>, [symbol: string, verb: string]> = {
  create: ['+', 'will be created'],
  update: ['~', 'will be updated in place'],
  replace: ['-/+', 'must be replaced'],
  delete: ['-', 'will be destroyed'],
};

function show(value: Value, sensitive: boolean): string {
  if (value === UNKNOWN) return '(known after apply)';
  if (value === undefined) return 'null';
  if (sensitive) return '(sensitive value)';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner === UNKNOWN ? '(known after apply)' : inner,
  );
}

function isMap(value: Value): value is Record<string, Value> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function changeLines(change: AttributeChange, action: Action, width: number): string[] {
  const name = change.name.padEnd(width);
  const note = change.forcesReplacement ? ' # forces replacement' : '';
  if (action === 'create') return [`      + ${name} = ${show(change.after, change.sensitive)}`];
  if (action === 'delete') return [`      - ${name} = ${show(change.before, change.sensitive)}`];
  if (!change.sensitive && isMap(change.before) && isMap(change.after)) {
    const before = change.before;
    const after = change.after;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const inner = keys.flatMap((key) => {
      if (isDeepStrictEqual(before[key], after[key])) return [];
      if (!(key in before)) return [`          + ${key} = ${show(after[key], false)}`];
      if (!(key in after)) return [`          - ${key} = ${show(before[key], false)}`];
      return [`          ~ ${key} = ${show(before[key], false)} -> ${show(after[key], false)}`];
    });
    return [`      ~ ${name} = {${note}`, ...inner, '        }'];
  }
  return [
    `      ~ ${name} = ${show(change.before, change.sensitive)} -> ${show(change.after, change.sensitive)}${note}`,
  ];
}

export function summarize(plan: Plan): { add: number; change: number; destroy: number } {
  const count = (...actions: Action[]) =>
    plan.resources.filter((r) => actions.includes(r.action)).length;
  return {
    add: count('create', 'replace'),
    change: count('update'),
    destroy: count('delete', 'replace'),
  };
}

export function renderPlan(plan: Plan): string {
  const changed = plan.resources.filter((r) => r.action !== 'no-op');
  if (changed.length === 0)
    return `No changes. Stack ${plan.stack} matches what the API has (${plan.resources.length} resources).\n`;
  const lines = [`Slipway will perform the following actions (stack ${plan.stack}):`, ''];
  for (const resource of changed) {
    const [symbol, verb] = HEADERS[resource.action as Exclude<Action, 'no-op'>];
    const [type, name] = [resource.type, resource.address.slice(resource.type.length + 1)];
    lines.push(`  # ${resource.address} ${verb}`);
    lines.push(`${symbol.padStart(3)} resource "${type}" "${name}" {`);
    if (resource.actual && resource.action !== 'delete')
      lines.push(`        id = ${JSON.stringify(resource.actual.id)}`);
    const width = Math.max(0, ...resource.changes.map((c) => c.name.length));
    for (const change of resource.changes)
      lines.push(...changeLines(change, resource.action, width));
    if (resource.action === 'create')
      lines.push(`      + ${'id'.padEnd(width)} = (known after apply)`);
    lines.push('    }', '');
  }
  const { add, change, destroy } = summarize(plan);
  lines.push(`Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`);
  return `${lines.join('\n')}\n`;
}

/** The plan as data, for `--json` (sensitive values never included). */
export function planJson(plan: Plan): unknown {
  const value = (v: Value, sensitive: boolean) =>
    v === UNKNOWN ? { unknown: true } : sensitive ? { sensitive: true } : v;
  return {
    stack: plan.stack,
    changes: summarize(plan),
    resources: plan.resources.map((r) => ({
      address: r.address,
      type: r.type,
      action: r.action,
      id: r.actual?.id ?? null,
      attributes: r.changes.map((c) => ({
        name: c.name,
        before: value(c.before, c.sensitive),
        after: value(c.after, c.sensitive),
        forces_replacement: c.forcesReplacement,
      })),
    })),
  };
}

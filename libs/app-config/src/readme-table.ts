import type { EnvVarDefinition } from './env-vars';

/** A row of a configuration table: `| \`NAME\` | default | yes/no | meaning |`. */
const VARIABLE_ROW = /^\|\s*`[A-Z0-9_]+`\s*\|/;

/**
 * The cells of each variable's row in the table under `heading` (such as `### Edge`), by
 * variable name. The section ends at the next heading of level 2 or 3 with another title.
 */
export function readmeTableRows(readme: string, heading: string): Map<string, string[]> {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`The README has no "${heading}" section`);
  const title = heading.replace(/^#+\s*/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const section = readme.slice(start);
  const end = section.search(new RegExp(`\\n#{2,3} (?!${title})`));
  const table = end < 0 ? section : section.slice(0, end);
  return new Map(
    table
      .split('\n')
      .filter((line) => VARIABLE_ROW.test(line))
      .map((line) => [line.split('`')[1] ?? '', line.split('|').slice(1, -1)] as const)
      .map(([name, cells]) => [name, cells.map((cell) => cell.trim())]),
  );
}

/**
 * How the README's table under `heading` and the variables a process reads differ: a variable
 * missing from the table, a wrong Sensitive column (the third), or a documented variable the
 * process does not read. Empty when they agree.
 */
export function readmeTableMismatches(
  readme: string,
  heading: string,
  envVars: readonly EnvVarDefinition[],
): string[] {
  const rows = readmeTableRows(readme, heading);
  const mismatches: string[] = [];
  for (const variable of envVars) {
    const row = rows.get(variable.name);
    const sensitive = variable.sensitive ? 'yes' : 'no';
    if (!row) mismatches.push(`${variable.name} is not documented under ${heading}`);
    else if (row[2] !== sensitive) {
      mismatches.push(
        `${variable.name} is documented as sensitive: ${row[2]}, but is ${sensitive}`,
      );
    }
  }
  const read = new Set(envVars.map((variable) => variable.name));
  for (const name of rows.keys()) {
    if (!read.has(name)) mismatches.push(`${name} is documented under ${heading} but not read`);
  }
  return mismatches;
}

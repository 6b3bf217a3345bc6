import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARS } from './env-vars';

describe("the README's edge configuration reference", () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Edge'));
  const table = section.slice(0, section.search(/\n#{2,3} (?!Edge)/));
  const rows = new Map(
    table
      .split('\n')
      .filter((line) => /^\|\s*`[A-Z0-9_]+`\s*\|/.test(line))
      .map((line) => [line.split('`')[1] ?? '', line] as const),
  );

  it.each(ENV_VARS.map((v) => [v.name, v] as const))(
    'documents %s and whether it is sensitive',
    (name, v) => {
      expect(rows.get(name)?.split('|')[3]?.trim()).toBe(v.sensitive ? 'yes' : 'no');
    },
  );

  it('documents no variable the edge does not read', () => {
    expect([...rows.keys()].sort()).toEqual(ENV_VARS.map((v) => v.name).sort());
  });
});

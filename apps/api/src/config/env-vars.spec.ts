import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_VARS } from './env-vars';

describe('configuration reference', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
  // Only the API's table: other apps document their own variables in later sections.
  const section = readme.slice(readme.indexOf('## Configuration'));
  const apiTable = section.slice(0, section.search(/\n#{2,3} (?!Configuration)/));
  const rows = new Map(
    apiTable
      .split('\n')
      .filter((line) => /^\|\s*`[A-Z0-9_]+`\s*\|/.test(line))
      .map((line) => [line.split('`')[1] ?? '', line] as const),
  );

  it.each(ENV_VARS.map((v) => [v.name, v] as const))(
    'the README documents %s and whether it is sensitive',
    (name, v) => {
      const row = rows.get(name);
      expect(row).toBeDefined();
      expect(row?.split('|')[3]?.trim()).toBe(v.sensitive ? 'yes' : 'no');
    },
  );

  it('documents no variable the API does not read', () => {
    expect([...rows.keys()].sort()).toEqual(ENV_VARS.map((v) => v.name).sort());
  });
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderServiceObjects } from './render';
import { platform, spec } from './test-support/readme-example';

const README = join(__dirname, '..', 'README.md');
const START = '<!-- rendered:start -->';
const END = '<!-- rendered:end -->';

function renderedYaml(): string {
  const documents = renderServiceObjects(spec, platform).map((object) => stringify(object));
  return ['```yaml', documents.join('---\n').trimEnd(), '```'].join('\n');
}

describe('README.md', () => {
  it('shows the YAML the example spec really renders (UPDATE_README=1 rewrites it)', async () => {
    const readme = await readFile(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(-1);
    expect(end).toBeGreaterThan(start);
    const expected = `${START}\n${renderedYaml()}\n${END}`;
    if (process.env.UPDATE_README === '1') {
      await writeFile(README, readme.slice(0, start) + expected + readme.slice(end + END.length));
      return;
    }
    expect(readme.slice(start, end + END.length)).toBe(expected);
  });

  it('shows the example spec as it is in the code', async () => {
    const [readme, source] = await Promise.all([
      readFile(README, 'utf8'),
      readFile(join(__dirname, 'test-support', 'readme-example.ts'), 'utf8'),
    ]);
    const specSource = source
      .slice(source.indexOf('export const spec'), source.indexOf('export const platform'))
      .trim();
    expect(readme).toContain(specSource);
  });
});

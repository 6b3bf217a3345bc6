import type { EnvVarDefinition } from './env-vars';
import { readmeTableMismatches, readmeTableRows } from './readme-table';

const README = `# App

## Configuration

| Variable | Default | Sensitive | Meaning |
| -------- | ------- | --------- | ------- |
| \`PORT\`   | \`3000\`  | no        | Port    |
| \`SECRET\` | -       | yes       | Key     |

### Configuration files

| \`FILE_VAR\` | - | no | inside a subsection with the same title |

### Worker

| Variable | Default | Sensitive | Meaning |
| -------- | ------- | --------- | ------- |
| \`PORT\`   | \`4000\`  | no        | Port    |

## Development
`;

function variable(name: string, sensitive: boolean): EnvVarDefinition {
  return { name, path: 'x.y', kind: 'string', description: 'd', defaultValue: '', sensitive };
}

describe('readmeTableRows', () => {
  it('reads the rows of one section up to the next heading with another title', () => {
    expect([...readmeTableRows(README, '## Configuration').keys()]).toEqual([
      'PORT',
      'SECRET',
      'FILE_VAR',
    ]);
    expect(readmeTableRows(README, '### Worker').get('PORT')).toEqual([
      '`PORT`',
      '`4000`',
      'no',
      'Port',
    ]);
  });

  it('refuses a heading the README lacks', () => {
    expect(() => readmeTableRows(README, '### Edge')).toThrow(
      'The README has no "### Edge" section',
    );
  });
});

describe('readmeTableMismatches', () => {
  it('is empty when the table and the variables agree', () => {
    expect(readmeTableMismatches(README, '### Worker', [variable('PORT', false)])).toEqual([]);
  });

  it('reports missing, wrongly marked and unread variables', () => {
    expect(
      readmeTableMismatches(README, '## Configuration', [
        variable('PORT', true),
        variable('SECRET', true),
        variable('NEW_VAR', false),
      ]),
    ).toEqual([
      'PORT is documented as sensitive: no, but is yes',
      'NEW_VAR is not documented under ## Configuration',
      'FILE_VAR is documented under ## Configuration but not read',
    ]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeTableMismatches } from '@slipway/app-config';
import { ENV_VARS } from './env-vars';

describe("the README's edge configuration reference", () => {
  it('documents every variable the edge reads, whether it is sensitive, and no other', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    expect(readmeTableMismatches(readme, '### Edge', ENV_VARS)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeTableMismatches } from '@slipway/app-config';
import { ENV_VARS } from './env-vars';

describe('configuration reference', () => {
  it('documents every variable the API reads, whether it is sensitive, and no other', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    // Only the API's table: other apps document their own variables in later sections.
    expect(readmeTableMismatches(readme, '## Configuration', ENV_VARS)).toEqual([]);
  });
});

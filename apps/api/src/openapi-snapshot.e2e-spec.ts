import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { startTestApp, type TestApp } from '../test/support/test-app';

/**
 * The CLI's typed client is generated from a committed copy of the OpenAPI document. This
 * spec fails when the live document drifts from that copy, so an API change cannot ship
 * without regenerating it (and thus without the CLI's types following).
 */
const SNAPSHOT = join(__dirname, '../../../libs/contracts/openapi/slipway-api.json');
const REGENERATE =
  'cd apps/api && SLIPWAY_UPDATE_OPENAPI_SNAPSHOT=1 npx jest src/openapi-snapshot.e2e-spec.ts';

/** Written in the repository's prettier style, so `npm run format:check` accepts it. */
async function writeSnapshot(document: unknown): Promise<void> {
  await writeFile(SNAPSHOT, JSON.stringify(document));
  // Prettier loads its plugins with dynamic imports, which Jest's VM refuses: run its CLI.
  execFileSync(
    process.execPath,
    [require.resolve('prettier/bin/prettier.cjs'), '--write', SNAPSHOT],
    {
      stdio: 'ignore',
    },
  );
}

describe('OpenAPI snapshot (libs/contracts/openapi/slipway-api.json)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('matches the document the API serves', async () => {
    const live: unknown = (await t.http.get('/v1/openapi.json').expect(200)).body;
    if (process.env.SLIPWAY_UPDATE_OPENAPI_SNAPSHOT === '1') {
      await writeSnapshot(live);
    }
    const committed = await readFile(SNAPSHOT, 'utf8').catch(() => 'null');
    // Compared as data, not text: formatting the file does not count as drift.
    if (!isDeepStrictEqual(JSON.parse(committed), live)) {
      throw new Error(
        `The API's OpenAPI document differs from ${SNAPSHOT}. Regenerate it (the CLI's types follow) with:\n  ${REGENERATE}`,
      );
    }
    expect(JSON.parse(committed)).toHaveProperty('paths./v1/services');
  });
});

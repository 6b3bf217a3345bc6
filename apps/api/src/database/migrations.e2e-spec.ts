import { TABLES, type Column } from '@slipway/db-schema';
import { startTestApp, type TestApp } from '../../test/support/test-app';

describe('migrations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('leave the schema exactly as the entities describe it', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('leave the tables the edge, the collector and the benches use as @slipway/db-schema declares them', async () => {
    for (const table of TABLES) {
      const rows = await t.dataSource.query<
        { column_name: string; data_type: Column['type']; is_nullable: 'YES' | 'NO' }[]
      >(
        `SELECT column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1`,
        [table.name],
      );
      const migrated = Object.fromEntries(
        rows.map((row) => [
          row.column_name,
          { type: row.data_type, nullable: row.is_nullable === 'YES' },
        ]),
      );
      expect({ table: table.name, columns: migrated }).toEqual({
        table: table.name,
        columns: table.columns,
      });
    }
  });

  it('can be reverted and applied again', async () => {
    const applied = await t.dataSource.query<{ name: string }[]>('SELECT name FROM migrations');
    expect(applied.length).toBeGreaterThan(0);
    for (let i = 0; i < applied.length; i++)
      await t.dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await t.dataSource.query<{ n: number }[]>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'",
    );
    expect(tables[0]?.n).toBe(0);
    await t.dataSource.runMigrations({ transaction: 'each' });
    expect((await t.dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});

import { insertRows, insertSql, unnestInsertSql, type Queryable } from './insert';
import { accessKeys, serviceRoutes } from './tables';
import { names } from './table';

describe('insertSql', () => {
  it('numbers the parameters row by row', () => {
    expect(insertSql(accessKeys, ['org_id', 'key_hash'], 2)).toBe(
      'INSERT INTO access_keys (org_id, key_hash) VALUES ($1, $2), ($3, $4) RETURNING *',
    );
  });

  it('refuses a column the table does not declare', () => {
    expect(() => insertSql(accessKeys, ['key' as 'key_hash'], 1)).toThrow(
      'access_keys has no column "key"',
    );
  });
});

describe('insertRows', () => {
  function recording(): Queryable & { calls: { sql: string; values: unknown[] }[] } {
    const calls: { sql: string; values: unknown[] }[] = [];
    return {
      calls,
      query: (sql: string, values: unknown[] = []) => {
        calls.push({ sql, values });
        return Promise.resolve({ rows: values.map(() => ({})) });
      },
    };
  }

  it('sends jsonb values as JSON text and answers the rows', async () => {
    const db = recording();
    await insertRows(db, serviceRoutes, [
      { service_id: 's1', endpoints: [{ host: '10.0.0.2', port: 8080 }], version: '1' },
    ]);
    expect(db.calls).toEqual([
      {
        sql: 'INSERT INTO service_routes (service_id, endpoints, version) VALUES ($1, $2, $3) RETURNING *',
        values: ['s1', '[{"host":"10.0.0.2","port":8080}]', '1'],
      },
    ]);
  });

  it('splits what exceeds the parameter limit into several statements', async () => {
    const db = recording();
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ org_id: 'o', key_hash: `h${i}` }));
    await insertRows(db, accessKeys, rows);
    expect(db.calls.map((call) => call.values.length)).toEqual([65_534, 14_466]);
  });

  it('does nothing for no rows', async () => {
    const db = recording();
    await expect(insertRows(db, accessKeys, [])).resolves.toEqual([]);
    expect(db.calls).toEqual([]);
  });
});

describe('names', () => {
  it('maps each declared column to its name', () => {
    const k = names(accessKeys);
    expect([k.key_hash, k.org_id]).toEqual(['key_hash', 'org_id']);
    expect(Object.keys(k)).toEqual(Object.keys(accessKeys.columns));
  });
});

describe('unnestInsertSql', () => {
  it('takes each column as one typed array parameter', () => {
    expect(
      unnestInsertSql(
        serviceRoutes,
        [
          ['service_id', 'uuid'],
          ['version', 'int8'],
        ],
        'do nothing',
      ),
    ).toBe(
      'INSERT INTO service_routes (service_id, version) SELECT * FROM unnest($1::uuid[], $2::int8[]) ON CONFLICT DO NOTHING',
    );
  });
});

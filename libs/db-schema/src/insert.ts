import { type ColumnOf, type RowOf, type Table } from './table';

/** What `insertRows` needs of node-postgres: a Pool or a Client. */
export interface Queryable {
  query(sql: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** PostgreSQL takes at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 65_535;

/**
 * `INSERT INTO <table> (<columns>) VALUES ($1, …), (…)` for `rowCount` rows of `columns`,
 * answering the whole rows. Column names come from the declaration, never from input.
 */
export function insertSql<T extends Table>(
  t: T,
  columns: readonly ColumnOf<T>[],
  rowCount: number,
): string {
  for (const column of columns) {
    if (!(column in t.columns)) throw new Error(`${t.name} has no column "${column}"`);
  }
  const tuples = Array.from(
    { length: rowCount },
    (_, row) => `(${columns.map((_c, i) => `$${row * columns.length + i + 1}`).join(', ')})`,
  );
  return `INSERT INTO ${t.name} (${columns.join(', ')}) VALUES ${tuples.join(', ')} RETURNING *`;
}

/**
 * Inserts `rows` (each with the same columns; those left out take their defaults) in as
 * few statements as the parameter limit allows; answers the inserted rows.
 */
export async function insertRows<T extends Table>(
  db: Queryable,
  t: T,
  rows: readonly Partial<RowOf<T>>[],
): Promise<RowOf<T>[]> {
  const first = rows[0];
  if (first === undefined) return [];
  const columns = Object.keys(first) as ColumnOf<T>[];
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length)));
  const inserted: RowOf<T>[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const values = batch.flatMap((row) =>
      columns.map((column) => {
        const value = (row as Record<string, unknown>)[column];
        // jsonb columns take JSON text; node-postgres would send a JS array as a PG array.
        return t.columns[column]?.type === 'jsonb' && value !== null
          ? JSON.stringify(value)
          : value;
      }),
    );
    const { rows: result } = await db.query(insertSql(t, columns, batch.length), values);
    inserted.push(...(result as RowOf<T>[]));
  }
  return inserted;
}

/**
 * `INSERT INTO <table> (<columns>) SELECT * FROM unnest($1::<type>[], …)`: one statement for
 * any number of rows, each column travelling as one array parameter (in `columns`' order).
 */
export function unnestInsertSql<T extends Table>(
  t: T,
  columns: readonly (readonly [ColumnOf<T>, string])[],
  onConflict: 'error' | 'do nothing' = 'error',
): string {
  for (const [column] of columns) {
    if (!(column in t.columns)) throw new Error(`${t.name} has no column "${column}"`);
  }
  const arrays = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return (
    `INSERT INTO ${t.name} (${columns.map(([column]) => column).join(', ')}) ` +
    `SELECT * FROM unnest(${arrays})${onConflict === 'do nothing' ? ' ON CONFLICT DO NOTHING' : ''}`
  );
}

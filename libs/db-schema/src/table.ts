/**
 * How a table is declared: its name and each column's PostgreSQL type and nullability.
 * Row types follow from the declaration (as node-postgres returns them), and the API's
 * migrations spec checks every declaration against the migrated database.
 */

/** The column types these tables use, as `information_schema.columns.data_type` names them. */
export type PgType =
  | 'uuid'
  | 'text'
  | 'character varying'
  | 'character'
  | 'boolean'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'double precision'
  | 'timestamp with time zone'
  | 'jsonb'
  /** `text[]` (information_schema names every array type so). */
  | 'ARRAY';

export interface Column {
  readonly type: PgType;
  readonly nullable: boolean;
}

export interface Table<C extends Record<string, Column> = Record<string, Column>> {
  readonly name: string;
  readonly columns: C;
}

/** node-postgres's JavaScript value for each type (bigint arrives as a string). */
interface JsTypes {
  uuid: string;
  text: string;
  'character varying': string;
  character: string;
  boolean: boolean;
  smallint: number;
  integer: number;
  bigint: string;
  'double precision': number;
  'timestamp with time zone': Date;
  jsonb: unknown;
  ARRAY: string[];
}

type ValueOf<C extends Column> = C['nullable'] extends true
  ? JsTypes[C['type']] | null
  : JsTypes[C['type']];

/** A whole row of `T` as a query returns it. */
export type RowOf<T extends Table> = {
  -readonly [K in keyof T['columns']]: ValueOf<T['columns'][K]>;
};

/** The column names of `T`. */
export type ColumnOf<T extends Table> = keyof T['columns'] & string;

export function table<const C extends Record<string, Column>>(name: string, columns: C): Table<C> {
  return { name, columns };
}

export const col = {
  uuid: { type: 'uuid', nullable: false },
  text: { type: 'text', nullable: false },
  varchar: { type: 'character varying', nullable: false },
  char: { type: 'character', nullable: false },
  boolean: { type: 'boolean', nullable: false },
  smallint: { type: 'smallint', nullable: false },
  integer: { type: 'integer', nullable: false },
  bigint: { type: 'bigint', nullable: false },
  double: { type: 'double precision', nullable: false },
  timestamptz: { type: 'timestamp with time zone', nullable: false },
  jsonb: { type: 'jsonb', nullable: false },
  textArray: { type: 'ARRAY', nullable: false },
} as const satisfies Record<string, Column>;

/** The same column, nullable. */
export function nullable<const C extends Column>(column: C): { type: C['type']; nullable: true } {
  return { type: column.type, nullable: true };
}

/**
 * The column names of `t` as an object (`names(t).key_hash === 'key_hash'`), for writing SQL
 * whose identifiers the compiler checks against the declaration.
 */
export function names<T extends Table>(t: T): { readonly [K in ColumnOf<T>]: K } {
  return Object.fromEntries(Object.keys(t.columns).map((key) => [key, key])) as {
    [K in ColumnOf<T>]: K;
  };
}

import { z } from 'zod';

/**
 * A stored row that does not have the shape its table promises (a damaged file, a hand edit, a value an
 * older release wrote that this one no longer knows): it is never passed on mistyped. The message names
 * the table and the columns, never a stored value (rows hold personal data).
 */
export class StoredRowError extends Error {
  readonly code = 'STORAGE_ROW_INVALID';
  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {
    super(`a row of ${table} is not as the schema says (${columns.join(', ')})`);
  }
}

/** Parses one row read from `table`; throws StoredRowError when it does not match. */
export function parseRow<S extends z.ZodType>(table: string, schema: S, row: unknown): z.output<S> {
  const parsed = schema.safeParse(row);
  if (!parsed.success) throw new StoredRowError(table, [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(row)'))]);
  return parsed.data;
}

export function parseRows<S extends z.ZodType>(table: string, schema: S, rows: readonly unknown[]): Array<z.output<S>> {
  return rows.map((row) => parseRow(table, schema, row));
}

/** SQLite's 0/1 for a boolean column. */
export const bit = z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1);

/** A TEXT column holding JSON of the given shape. */
export function jsonText<S extends z.ZodType>(schema: S) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** One COUNT(*) AS n row. */
export const CountRow = z.object({ n: z.number().int() });

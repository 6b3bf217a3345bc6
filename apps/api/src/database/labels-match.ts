import { Raw, type FindOperator } from 'typeorm';
import { type LabelSelector } from '../common/validation/label-filter';

/**
 * A `labels` column condition for find options: the row carries every selected label
 * (`labels @> '{"key":"value"}'` per selector, which the column's GIN index serves).
 * Spread into a `where`: `{ orgId, ...labelsMatch(selectors) }`; nothing when no selector.
 */
export function labelsMatch(selectors: readonly LabelSelector[]): {
  labels?: FindOperator<unknown>;
} {
  if (selectors.length === 0) return {};
  const parameters = Object.fromEntries(
    selectors.map((selector, i) => [
      `label${i}`,
      JSON.stringify({ [selector.key]: selector.value }),
    ]),
  );
  return {
    labels: Raw(
      (column) => selectors.map((_, i) => `${column} @> CAST(:label${i} AS jsonb)`).join(' AND '),
      parameters,
    ),
  };
}

import {
  labelKeyProblem,
  labelValueProblem,
  MAX_LABELS,
  RESERVED_LABEL_PREFIX,
} from '@slipway/iac';
import { Token } from 'cdktn';

/** Fails synthesis with the construct's path when a label would be refused by the API. */
export function checkLabels(
  path: string,
  labels: Readonly<Record<string, string>> | undefined,
): void {
  if (labels === undefined) return;
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) throw new Error(`${path}: at most ${MAX_LABELS} labels`);
  for (const [key, value] of entries) {
    if (key.startsWith(RESERVED_LABEL_PREFIX))
      throw new Error(
        `${path}: label key "${key}": the ${RESERVED_LABEL_PREFIX} prefix is kept by Slipway`,
      );
    const problem =
      labelKeyProblem(key) ??
      (Token.isUnresolved(value) ? undefined : labelValueProblem(key, value));
    if (problem) throw new Error(`${path}: ${problem}`);
  }
}

/** Fails synthesis unless a literal value matches; references are checked at plan time. */
export function checkPattern(
  path: string,
  field: string,
  value: string,
  pattern: RegExp,
  rule: string,
): void {
  if (!Token.isUnresolved(value) && !pattern.test(value))
    throw new Error(`${path}: ${field} "${value}" ${rule}`);
}

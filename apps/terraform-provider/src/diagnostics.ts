/** Diagnostics as the protocol carries them, pointing at the attribute where there is one. */
import { type AttributeType, type Block } from './wire/types';

type Step =
  { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: { steps: Step[] };
}

/** A path of attribute names, map keys and list indexes, read against the schema. */
function stepsOf(block: Block, path: readonly PropertyKey[]): Step[] {
  const steps: Step[] = [];
  let current: Block | undefined = block;
  let collection: 'list' | 'map' | undefined;
  for (const key of path) {
    if (collection === 'list' && typeof key === 'number') steps.push({ element_key_int: key });
    else if (collection === 'map') steps.push({ element_key_string: String(key) });
    else {
      const attribute: Block[string] | undefined = current?.[String(key)];
      if (!attribute) break;
      steps.push({ attribute_name: String(key) });
      const type: AttributeType = attribute.type;
      current =
        typeof type !== 'object'
          ? undefined
          : 'object' in type
            ? type.object
            : 'objects' in type
              ? type.objects
              : undefined;
      collection =
        typeof type === 'object' && ('list' in type || 'objects' in type)
          ? 'list'
          : typeof type === 'object' && 'map' in type
            ? 'map'
            : undefined;
      continue;
    }
    collection = undefined;
  }
  return steps;
}

export function errorDiagnostic(
  summary: string,
  detail: string,
  at?: { block: Block; path: readonly PropertyKey[] },
): Diagnostic {
  const steps = at ? stepsOf(at.block, at.path) : [];
  return { severity: 'ERROR', summary, detail, ...(steps.length && { attribute: { steps } }) };
}

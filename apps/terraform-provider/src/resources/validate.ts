/**
 * ValidateResourceConfig: the configuration checked by the same schemas `slipway iac`
 * checks a stack with. Values still unknown at validation (references to resources not yet
 * created) are checked later, at plan; problems elsewhere are reported now.
 */
import { RESOURCE_SCHEMAS, type ResourceType } from '@slipway/iac';
import { errorDiagnostic, type Diagnostic } from '../diagnostics';
import { RESOURCE_BLOCKS } from '../schema/resources';
import { containsUnknown, type ObjectValue, type WireValue } from '../wire/values';
import { declaredFrom } from './state';

export function validateResource(type: ResourceType, config: ObjectValue): Diagnostic[] {
  const unknown = new Set(Object.keys(config).filter((name) => containsUnknown(config[name])));
  const known = Object.fromEntries<WireValue>(
    Object.entries(config).map(([name, value]) => [name, unknown.has(name) ? null : value]),
  );
  const { config: declared } = declaredFrom(type, known);
  const result = RESOURCE_SCHEMAS[type].safeParse(declared);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => {
      const head = issue.path[0];
      // A rule over several attributes holds only once all of them are known.
      return head === undefined ? unknown.size === 0 : !unknown.has(String(head));
    })
    .map((issue) =>
      errorDiagnostic(
        `Invalid ${type}`,
        issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
        { block: RESOURCE_BLOCKS[type], path: issue.path },
      ),
    );
}

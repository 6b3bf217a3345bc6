import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';
import { JSON_TOO_DEEP_MESSAGE, jsonDepthExceeds } from '../http/json-depth';

/** Keys Nest's pipe deletes from every input against prototype pollution. */
const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * The first reserved key in a body, with the path of the object holding it (`labels` for
 * `{"labels": {"constructor": "x"}}`). Recursive: call it on a depth-checked body only.
 */
function reservedKeyIn(value: unknown, path = ''): { path: string; key: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    if (RESERVED_KEYS.includes(key)) return { path, key };
    const found = reservedKeyIn(child, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * Refuses a body nested past MAX_JSON_DEPTH before validating it: validation recurses per
 * level and would overflow the stack. JSON bodies are checked on arrival already; this
 * covers bodies parsed elsewhere, such as the JSON `data` field of a multipart deploy.
 * Refuses reserved keys too: Nest would delete them unseen, so a label named `constructor`
 * would vanish while the request succeeded.
 */
class DepthBoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (jsonDepthExceeds(value)) throw DomainError.validation(JSON_TOO_DEEP_MESSAGE);
      const reserved = reservedKeyIn(value);
      if (reserved) {
        throw DomainError.validation(
          reserved.path
            ? `${reserved.path}: key ${JSON.stringify(reserved.key)} is reserved (${RESERVED_KEYS.join(', ')} are refused)`
            : `${reserved.key}: is a reserved name (${RESERVED_KEYS.join(', ')} are refused)`,
        );
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * Validates every body, query and param DTO. Unknown fields are rejected, and the message
 * names each offending field with what was wrong, e.g. `name: must be a DNS label`.
 * Only a field's first failure is reported, and decorators run bottom-up: in DTOs the
 * presence and type checks sit nearest the property so they are the ones reported.
 */
export function createValidationPipe(): ValidationPipe {
  return new DepthBoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => DomainError.validation(describeValidationErrors(errors)),
  });
}

export function describeValidationErrors(errors: ValidationError[], parent = ''): string {
  const messages: string[] = [];
  const walk = (list: ValidationError[], prefix: string): void => {
    for (const error of list) {
      const path = prefix ? `${prefix}.${error.property}` : error.property;
      for (const [constraint, text] of Object.entries(error.constraints ?? {})) {
        messages.push(
          constraint === 'whitelistValidation'
            ? `${path}: is not a known field`
            : constraint === 'nestedValidation'
              ? `${path}: must be an object`
              : `${path}: ${text.replace(new RegExp(`^${escapeRegExp(error.property)} `), '')}`,
        );
      }
      if (error.children?.length) walk(error.children, path);
    }
  };
  walk(errors, parent);
  return messages.length > 0 ? messages.join('; ') : 'The request is invalid';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

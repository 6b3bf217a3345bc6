/**
 * The `label` query parameter of list routes: `?label=key=value`, repeatable, every one
 * must match. Validated with the same rules as the labels themselves.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, registerDecorator, type ValidationArguments } from 'class-validator';
import { MAX_LABELS, labelKeyProblem, labelValueProblem } from '@slipway/contracts';

/** One `key=value` condition of a `label` filter. */
export interface LabelSelector {
  readonly key: string;
  readonly value: string;
}

const FORMAT_RULE = 'must be key=value, e.g. slipway.dev/stack=prod';

/** What is wrong with the `label` parameter's values, or null when they are all valid. */
export function labelFilterProblem(values: unknown): string | null {
  const list: unknown[] = Array.isArray(values) ? values : [values];
  if (list.length > MAX_LABELS) {
    return `may be given at most ${MAX_LABELS} times (got ${list.length})`;
  }
  for (const entry of list) {
    if (typeof entry !== 'string') return FORMAT_RULE;
    const separator = entry.indexOf('=');
    if (separator < 0) return `${JSON.stringify(entry)} ${FORMAT_RULE}`;
    const key = entry.slice(0, separator);
    const problem = labelKeyProblem(key) ?? labelValueProblem(key, entry.slice(separator + 1));
    if (problem) return problem;
  }
  return null;
}

/** The conditions of a validated `label` parameter (none when it is absent). */
export function parseLabelFilter(values: readonly string[] | undefined): LabelSelector[] {
  return (values ?? []).map((entry) => {
    const separator = entry.indexOf('=');
    return { key: entry.slice(0, separator), value: entry.slice(separator + 1) };
  });
}

/**
 * A list query's `label` parameter: `?label=a=1&label=b=2` keeps the rows that carry both
 * labels. A single value arrives as a string, several as an array; both become an array.
 */
export function IsLabelFilter(): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    applyDecorators(
      ApiPropertyOptional({
        type: [String],
        example: ['slipway.dev/stack=prod'],
        description: `Only those carrying this label, as key=value (repeatable, at most ${MAX_LABELS}: all must match)`,
      }),
      Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value), {
        toClassOnly: true,
      }),
      IsOptional(),
    )(target, propertyKey);
    registerDecorator({
      name: 'isLabelFilter',
      target: target.constructor,
      propertyName: String(propertyKey),
      validator: {
        validate: (value: unknown) => labelFilterProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          labelFilterProblem(args?.value) ?? FORMAT_RULE,
      },
    });
  };
}

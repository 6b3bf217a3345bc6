/** The `labels` fields of bodies and views; the rules themselves are in @slipway/contracts. */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  LABEL_KEY_RULE,
  LABEL_VALUE_RULE,
  LABELS_EXAMPLE,
  LABELS_OBJECT_RULE,
  MAX_LABEL_VALUE,
  MAX_LABELS,
  labelsProblem,
  type Labels,
} from '@slipway/contracts';
import { ValidateIf, registerDecorator, type ValidationArguments } from 'class-validator';

/**
 * A `labels` body field: optional, but when present an object of at most 32 valid labels
 * (null is refused, not taken as "absent"). The message names the offending key, e.g.
 * `labels: key "Bad Key" must be a name of …`. The keys `constructor` and `prototype` are
 * refused by the validation pipe, as in every body.
 */
export function IsLabels(
  description = 'Labels (key/value strings), e.g. the owning stack',
): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    const property = String(propertyKey);
    applyDecorators(
      ApiPropertyOptional({
        type: 'object',
        additionalProperties: { type: 'string', maxLength: MAX_LABEL_VALUE },
        maxProperties: MAX_LABELS,
        example: LABELS_EXAMPLE,
        description: `${description}. At most ${MAX_LABELS}; keys are ${LABEL_KEY_RULE}; values are ${LABEL_VALUE_RULE}.`,
      }),
      ValidateIf((dto: Record<string, unknown>) => dto[property] !== undefined),
    )(target, propertyKey);
    registerDecorator({
      name: 'isLabels',
      target: target.constructor,
      propertyName: property,
      validator: {
        validate: (value: unknown) => labelsProblem(value) === null,
        defaultMessage: (args?: ValidationArguments) =>
          labelsProblem(args?.value) ?? LABELS_OBJECT_RULE,
      },
    });
  };
}

/** The `labels` field of a view: always present, `{}` when there are none. */
export function LabelsView(): PropertyDecorator {
  return ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: LABELS_EXAMPLE,
    description: 'Key/value labels; {} when none',
  });
}

/** Labels as views show them: always an object, `{}` when there are none. */
export function labelsOf(labels: Labels | null | undefined): Labels {
  return { ...(labels ?? {}) };
}

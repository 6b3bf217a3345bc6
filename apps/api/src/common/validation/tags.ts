/**
 * Tags on services: a `tags` body field and the `tag` list filter (`?tag=a&tag=b`: every one
 * must be there). The rules are in @slipway/contracts, which the constructs check too.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_TAGS, TAG_RULE, tagsProblem } from '@slipway/contracts';
import { Transform } from 'class-transformer';
import { IsOptional, ValidateIf, registerDecorator } from 'class-validator';

function registerTagsCheck(target: object, property: string): void {
  registerDecorator({
    name: 'isTags',
    target: target.constructor,
    propertyName: property,
    validator: {
      validate: (value: unknown) => tagsProblem(value) === null,
      defaultMessage: (args) => tagsProblem(args?.value) ?? 'must be a list of tags',
    },
  });
}

/** A `tags` body field: optional; when present it replaces the service's tags. */
export function IsTags(): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    const property = String(propertyKey);
    applyDecorators(
      ApiPropertyOptional({
        type: [String],
        maxItems: MAX_TAGS,
        example: ['team-a', 'gpu'],
        description: `Tags, replacing the current ones ([] removes them all): at most ${MAX_TAGS}, each ${TAG_RULE}`,
      }),
      ValidateIf((dto: Record<string, unknown>) => dto[property] !== undefined),
    )(target, propertyKey);
    registerTagsCheck(target, property);
  };
}

/** The `tag` query parameter: repeatable, a single value arrives as a string. */
export function IsTagFilter(): PropertyDecorator {
  return (target: object, propertyKey: string | symbol): void => {
    applyDecorators(
      ApiPropertyOptional({
        type: [String],
        example: ['gpu'],
        description: `Only services carrying this tag (repeatable, at most ${MAX_TAGS}: all must be there)`,
      }),
      Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? [value] : value), {
        toClassOnly: true,
      }),
      IsOptional(),
    )(target, propertyKey);
    registerTagsCheck(target, String(propertyKey));
  };
}

/** The `tags` field of a view: always present, `[]` when there are none. */
export function TagsView(): PropertyDecorator {
  return ApiProperty({ type: [String], example: ['team-a', 'gpu'], description: '[] when none' });
}

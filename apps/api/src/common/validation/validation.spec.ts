import { type ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Min,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { DomainError } from '../errors/domain-error';
import { MAX_JSON_DEPTH } from '../http/json-depth';
import { createValidationPipe, describeValidationErrors } from './validation.pipe';

class AccessControl {
  @IsIn(['private', 'public'], { message: 'must be private or public' })
  access_type!: string;
}

class EnvVar {
  @Matches(/^[A-Z_][A-Z0-9_]*$/, { message: 'must be an environment variable name' })
  @IsString({ message: 'must be a string' })
  name!: string;
}

class CreateThing {
  @Matches(/^[a-z]+$/, { message: 'must be a DNS label' })
  @IsString({ message: 'must be a string' })
  name!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AccessControl)
  access_control?: AccessControl;

  @IsOptional()
  @IsArray({ message: 'must be an array' })
  @ValidateNested({ each: true })
  @Type(() => EnvVar)
  env?: EnvVar[];

  /** Default class-validator messages start with the property name. */
  @IsOptional()
  @Min(1)
  @IsInt()
  replicas?: number;
}

function errorsFor(body: object): ValidationError[] {
  return validateSync(plainToInstance(CreateThing, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
    stopAtFirstError: true,
  });
}

describe('describeValidationErrors', () => {
  it('names a nested path like access_control.access_type', () => {
    const message = describeValidationErrors(
      errorsFor({ name: 'web', access_control: { access_type: 'secret' } }),
    );
    expect(message).toBe('access_control.access_type: must be private or public');
  });

  it('names array elements by index', () => {
    const message = describeValidationErrors(
      errorsFor({ name: 'web', env: [{ name: 'OK' }, { name: 'bad-name' }] }),
    );
    expect(message).toBe('env.1.name: must be an environment variable name');
  });

  it('joins every failing field with "; "', () => {
    const message = describeValidationErrors(
      errorsFor({ name: 'Not A Label', access_control: { access_type: 1 }, env: [{ name: 7 }] }),
    );
    expect(message.split('; ').sort()).toEqual([
      'access_control.access_type: must be private or public',
      'env.0.name: must be a string',
      'name: must be a DNS label',
    ]);
  });

  it('says "is not a known field" for unknown fields, nested ones included', () => {
    const message = describeValidationErrors(
      errorsFor({ name: 'web', colour: 'red', access_control: { access_type: 'public', x: 1 } }),
    );
    expect(message.split('; ').sort()).toEqual([
      'access_control.x: is not a known field',
      'colour: is not a known field',
    ]);
  });

  it('says a nested field that is not an object must be one', () => {
    expect(describeValidationErrors(errorsFor({ name: 'web', access_control: 'public' }))).toBe(
      'access_control: must be an object',
    );
    expect(describeValidationErrors(errorsFor({ name: 'web', env: ['A=1'] }))).toBe(
      'env.0: must be an object',
    );
  });

  it('strips the property name class-validator puts in front of its default messages', () => {
    expect(describeValidationErrors(errorsFor({ name: 'web', replicas: 1.5 }))).toBe(
      'replicas: must be an integer number',
    );
    expect(describeValidationErrors(errorsFor({ name: 'web', replicas: 0 }))).toBe(
      'replicas: must not be less than 1',
    );
  });

  it('prefixes a parent path when given one', () => {
    expect(describeValidationErrors(errorsFor({ name: 'UPPER' }), 'spec')).toBe(
      'spec.name: must be a DNS label',
    );
  });

  it('falls back to a generic message when nothing is listed', () => {
    expect(describeValidationErrors([])).toBe('The request is invalid');
  });
});

describe('createValidationPipe', () => {
  const pipe = createValidationPipe();
  const asBody = { type: 'body' as const, metatype: CreateThing, data: '' };

  it('turns failures into a validation_failed DomainError naming the fields', async () => {
    const failure = pipe
      .transform({ name: 'web', access_control: { access_type: 'secret' } }, asBody)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const error = await failure;
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 400,
      message: 'access_control.access_type: must be private or public',
    });
  });

  it('reports only the first failure of a field', async () => {
    const error = (await pipe.transform({ name: 42 }, asBody).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('name: must be a string');
  });

  it('rejects unknown fields instead of silently dropping them', async () => {
    const error = (await pipe
      .transform({ name: 'web', admin: true }, asBody)
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('admin: is not a known field');
  });

  it('refuses a body nested past the limit before validation can overflow the stack', async () => {
    const nested = JSON.parse('['.repeat(5_000) + ']'.repeat(5_000)) as unknown;
    const error = await pipe
      .transform({ name: 'web', env: nested }, asBody)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      message: `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`,
    });
  });

  it.each([
    ['{"name":"web","constructor":"x"}', 'constructor: is a reserved name'],
    ['{"name":"web","env":[{"name":"A","__proto__":{}}]}', 'env.0: key "__proto__" is reserved'],
    [
      '{"name":"web","access_control":{"prototype":1}}',
      'access_control: key "prototype" is reserved',
    ],
  ])('refuses the reserved keys Nest would delete unseen: %s', async (json, message) => {
    const error = await pipe.transform(JSON.parse(json) as object, asBody).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as Error).message).toBe(
      `${message} (__proto__, constructor, prototype are refused)`,
    );
  });

  it('returns a transformed instance for valid input', async () => {
    const value = (await pipe.transform(
      { name: 'web', access_control: { access_type: 'public' }, env: [{ name: 'A' }] },
      asBody,
    )) as CreateThing;
    expect(value).toBeInstanceOf(CreateThing);
    expect(value.access_control).toBeInstanceOf(AccessControl);
    expect(value.env?.[0]).toBeInstanceOf(EnvVar);
  });
});

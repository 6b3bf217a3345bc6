import { DomainError } from '../errors/domain-error';
import { IsLabelFilter, labelFilterProblem, parseLabelFilter } from './label-filter';
import { labelsProblem, type Labels } from '@slipway/contracts';
import { IsLabels } from './labels';
import { createValidationPipe } from './validation.pipe';

class Labelled {
  @IsLabels()
  labels?: Labels;
}

class LabelQuery {
  @IsLabelFilter()
  label?: string[];
}

const many = (count: number): Labels =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, `v${i}`]));

describe('labelsProblem', () => {
  it.each([
    [{}],
    [{ 'slipway.dev/stack': 'prod' }],
    [{ env: '' }],
    [{ 'a.b-c_d': 'A.b-C_9' }],
    [{ ['n'.repeat(63)]: 'v'.repeat(63) }],
    [{ [`${'p'.repeat(63)}.${'q'.repeat(63)}.${'r'.repeat(63)}.${'s'.repeat(61)}/x`]: 'y' }],
    [{ 'example.com/app': 'web', 'x/y': 'z', constructor: 'ok' }],
    [many(32)],
  ])('accepts %j', (labels) => {
    expect(labelsProblem(labels)).toBeNull();
  });

  it.each([
    [null, 'must be an object of string keys to string values'],
    [[], 'must be an object of string keys to string values'],
    ['env=prod', 'must be an object of string keys to string values'],
    [many(33), 'must have at most 32 entries (got 33)'],
    [{ 'Bad Key': 'x' }, 'key "Bad Key" must be a name of at most 63 letters'],
    [{ '': 'x' }, 'key "" must be a name of'],
    [{ '-edge': 'x' }, 'key "-edge" must be a name of'],
    [{ 'edge.': 'x' }, 'key "edge." must be a name of'],
    [{ ['n'.repeat(64)]: 'x' }, `key "${'n'.repeat(64)}" must be a name of`],
    [
      { 'Example.com/app': 'x' },
      'key "Example.com/app" must have a prefix that is a DNS subdomain',
    ],
    [{ '/app': 'x' }, 'key "/app" must have a prefix that is a DNS subdomain'],
    [{ 'a/b/c': 'x' }, 'key "a/b/c" must have a prefix that is a DNS subdomain'],
    [{ [`${'p'.repeat(254)}/x`]: 'x' }, 'must have a prefix that is a DNS subdomain'],
    [{ 'example.com/': 'x' }, 'key "example.com/" must be a name of'],
    [{ env: 'has space' }, 'value of "env" must be empty or at most 63 letters'],
    [{ env: '-prod' }, 'value of "env" must be empty or'],
    [{ env: 'v'.repeat(64) }, 'value of "env" must be empty or'],
    [{ env: 1 }, 'value of "env" must be a string'],
    [{ env: null }, 'value of "env" must be a string'],
    [{ env: { nested: 'x' } }, 'value of "env" must be a string'],
  ])('refuses %j, saying what is wrong', (labels, message) => {
    expect(labelsProblem(labels)).toContain(message);
  });
});

describe('IsLabels through the validation pipe', () => {
  const pipe = createValidationPipe();
  const asBody = { type: 'body' as const, metatype: Labelled, data: '' };
  const failure = (body: unknown): Promise<unknown> =>
    pipe.transform(body, asBody).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('names the field and the offending key', async () => {
    const error = await failure({ labels: { ok: 'yes', 'Bad Key': 'x' } });
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).message).toBe(
      `labels: key "Bad Key" must be a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS subdomain prefix and '/' (e.g. slipway.dev/stack)`,
    );
  });

  it('refuses null rather than taking it for absent', async () => {
    expect(((await failure({ labels: null })) as Error).message).toBe(
      'labels: must be an object of string keys to string values',
    );
  });

  it('leaves an absent field absent', async () => {
    const value = (await pipe.transform({}, asBody)) as Labelled;
    expect(value.labels).toBeUndefined();
  });

  it('keeps every key as given', async () => {
    const body = JSON.parse('{"labels":{"slipway.dev/stack":"prod","x":""}}') as object;
    const value = (await pipe.transform(body, asBody)) as Labelled;
    expect(value.labels).toEqual({ 'slipway.dev/stack': 'prod', x: '' });
  });

  it.each(['constructor', 'prototype', '__proto__'])(
    'refuses the reserved key %s instead of dropping it',
    async (key) => {
      const body = JSON.parse(`{"labels":{"${key}":"x","ok":"y"}}`) as object;
      expect(((await failure(body)) as Error).message).toBe(
        `labels: key "${key}" is reserved (__proto__, constructor, prototype are refused)`,
      );
    },
  );
});

describe('the label filter', () => {
  it.each([[['env=prod']], [['env=']], [['slipway.dev/stack=prod', 'tier=web']], ['a=b']])(
    'accepts %j',
    (values) => {
      expect(labelFilterProblem(values)).toBeNull();
    },
  );

  it.each([
    [['env'], '"env" must be key=value, e.g. slipway.dev/stack=prod'],
    [[''], '"" must be key=value'],
    [['=prod'], 'key "" must be a name of'],
    [['Bad Key=x'], 'key "Bad Key" must be a name of'],
    [['env=a=b'], 'value of "env" must be empty or'],
    [['env=has space'], 'value of "env" must be empty or'],
    [Array.from({ length: 33 }, (_, i) => `k${i}=v`), 'may be given at most 32 times (got 33)'],
  ])('refuses %j', (values, message) => {
    expect(labelFilterProblem(values)).toContain(message);
  });

  it('splits each condition at its first =', () => {
    expect(parseLabelFilter(['slipway.dev/stack=prod', 'env='])).toEqual([
      { key: 'slipway.dev/stack', value: 'prod' },
      { key: 'env', value: '' },
    ]);
    expect(parseLabelFilter(undefined)).toEqual([]);
  });

  it('takes one value or several, and names the parameter when one is malformed', async () => {
    const pipe = createValidationPipe();
    const asQuery = { type: 'query' as const, metatype: LabelQuery, data: '' };
    expect(((await pipe.transform({ label: 'a=b' }, asQuery)) as LabelQuery).label).toEqual([
      'a=b',
    ]);
    expect(
      ((await pipe.transform({ label: ['a=b', 'c=d'] }, asQuery)) as LabelQuery).label,
    ).toEqual(['a=b', 'c=d']);
    const error = await pipe
      .transform({ label: ['a=b', 'oops'] }, asQuery)
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'label: "oops" must be key=value, e.g. slipway.dev/stack=prod',
    );
  });
});

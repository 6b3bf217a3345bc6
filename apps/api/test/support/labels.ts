/**
 * The `labels` bodies and `label` filters every route of a labelled resource (projects,
 * services, access keys, resource profiles) must refuse, with the message it must give.
 */

const many = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`key-${i}`, `value-${i}`]));

const NOT_AN_OBJECT = /^labels: must be an object of string keys to string values$/;

/** `[case, labels, message]`. */
export const BAD_LABELS: [string, unknown, RegExp][] = [
  ['an invalid key', { 'Bad Key': 'x' }, /^labels: key "Bad Key" must be a name of at most 63/],
  [
    'a key whose prefix is not a DNS subdomain',
    { 'Slipway.dev/stack': 'x' },
    /^labels: key "Slipway.dev\/stack" must have a prefix that is a DNS subdomain/,
  ],
  [
    'a key of 64 characters',
    { ['k'.repeat(64)]: 'x' },
    new RegExp(`^labels: key "${'k'.repeat(64)}" must be a name`),
  ],
  [
    'an invalid value',
    { 'slipway.dev/stack': 'not ok' },
    /^labels: value of "slipway.dev\/stack" must be empty or at most 63 letters.*\(got "not ok"\)$/,
  ],
  [
    'a reserved key',
    { constructor: 'x' },
    /^labels: key "constructor" is reserved \(__proto__, constructor, prototype are refused\)$/,
  ],
  ['a value that is not a string', { tier: 1 }, /^labels: value of "tier" must be a string$/],
  ['33 labels', many(33), /^labels: must have at most 32 entries \(got 33\)$/],
  ['an array', ['tier=web'], NOT_AN_OBJECT],
  ['a string', 'tier=web', NOT_AN_OBJECT],
  ['null', null, NOT_AN_OBJECT],
];

/** `[case, query string, message]` for a list route's `label` parameter. */
export const BAD_LABEL_FILTERS: [string, string, RegExp][] = [
  ['no =', 'label=tier', /^label: "tier" must be key=value, e.g. slipway.dev\/stack=prod$/],
  ['an empty one', 'label=', /^label: "" must be key=value/],
  ['an invalid key', 'label=Bad%20Key%3Dx', /^label: key "Bad Key" must be a name of/],
  ['an invalid value', 'label=tier%3Dnot%20ok', /^label: value of "tier" must be empty or/],
  [
    '33 of them',
    Array.from({ length: 33 }, (_, i) => `label=k${i}%3Dv`).join('&'),
    /^label: may be given at most 32 times \(got 33\)$/,
  ],
];

/** 32 labels: the most a resource may carry. */
export const MAX_LABELS_BODY = many(32);

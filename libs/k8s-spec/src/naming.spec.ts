import fc from 'fast-check';
import { MAX_NAME_LENGTH, MAX_STATEFULSET_NAME_LENGTH, resourceName } from './naming';

const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const parts = fc.array(fc.string({ maxLength: 80 }), { minLength: 1, maxLength: 4 });

describe('resourceName', () => {
  it('keeps a readable prefix and appends a 10 hex character hash', () => {
    expect(resourceName(['web'], { uniqueBy: 'svc-1' })).toMatch(/^web-[0-9a-f]{10}$/);
    expect(resourceName(['slp', 'Default Project'])).toMatch(/^slp-default-project-[0-9a-f]{10}$/);
  });

  it('is stable: the same inputs give the same name', () => {
    expect(resourceName(['web'], { uniqueBy: 'svc-1' })).toBe(
      resourceName(['web'], { uniqueBy: 'svc-1' }),
    );
  });

  it('separates inputs whose readable prefixes coincide', () => {
    expect(resourceName(['a-b', 'c'])).not.toBe(resourceName(['a', 'b-c']));
    expect(resourceName(['web'], { uniqueBy: 'svc-1' })).not.toBe(
      resourceName(['web'], { uniqueBy: 'svc-2' }),
    );
    const long = 'x'.repeat(100);
    expect(resourceName([`${long}a`])).not.toBe(resourceName([`${long}b`]));
  });

  it('starts digit-led or empty inputs with a letter', () => {
    expect(resourceName(['2024-report'])).toMatch(/^x-2024-report-[0-9a-f]{10}$/);
    expect(resourceName(['---'])).toMatch(/^x-[0-9a-f]{10}$/);
  });

  it('rejects a maxLength that leaves no room for the hash', () => {
    expect(() => resourceName(['a'], { maxLength: 12 })).toThrow(
      'maxLength: must be an integer in 13..253 (got 12)',
    );
  });

  it('property: any input gives a DNS-1035 label within the length limit', () => {
    fc.assert(
      fc.property(
        parts,
        fc.option(fc.string()),
        fc.integer({ min: 13, max: 63 }),
        (input, uniqueBy, maxLength) => {
          const name = resourceName(input, { uniqueBy: uniqueBy ?? undefined, maxLength });
          expect(name).toMatch(DNS_1035);
          expect(name.length).toBeLessThanOrEqual(maxLength);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: distinct inputs give distinct names', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(parts, { minLength: 2, maxLength: 50, selector: (p) => JSON.stringify(p) }),
        (inputs) => {
          const names = inputs.map((input) => resourceName(input));
          expect(new Set(names).size).toBe(inputs.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: a name that fits keeps its slug readable', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9]{0,20}$/), (word) => {
        expect(resourceName([word]).startsWith(`${word}-`)).toBe(true);
      }),
    );
  });

  it('exports the limits it enforces', () => {
    expect([MAX_NAME_LENGTH, MAX_STATEFULSET_NAME_LENGTH]).toEqual([63, 52]);
  });
});

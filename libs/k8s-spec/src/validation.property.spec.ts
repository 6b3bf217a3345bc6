import fc from 'fast-check';
import { SpecValidationError } from './errors';
import { renderServiceObjects } from './render';
import { invalidSpec, validSpec } from './test-support/arbitraries';
import { platform } from './test-support/fixtures';
import { podSecurityViolations } from './test-support/pod-security';
import { schemaProblems } from '@slipway/kube-client/testing';
import { validateServiceSpec } from './validation';

describe('spec validation, property-based', () => {
  it('any valid spec validates and renders schema-valid, restricted-compliant objects', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        expect(validateServiceSpec(spec, platform)).toEqual([]);
        for (const object of renderServiceObjects(spec, platform)) {
          expect(schemaProblems(object)).toEqual([]);
          if (object.kind === 'Deployment' || object.kind === 'StatefulSet') {
            expect(podSecurityViolations(object.spec?.template ?? {}, 'restricted')).toEqual([]);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('any spec with one fault fails with an error that names the faulty field', () => {
    fc.assert(
      fc.property(invalidSpec, ({ spec, path }) => {
        expect(validateServiceSpec(spec, platform).map((problem) => problem.path)).toContain(path);
        let thrown: unknown;
        try {
          renderServiceObjects(spec, platform);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(SpecValidationError);
        expect((thrown as SpecValidationError).message).toContain(`${path}: `);
      }),
      { numRuns: 300 },
    );
  });
});

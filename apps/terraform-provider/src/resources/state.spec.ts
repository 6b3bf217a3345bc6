import { type ActualResource } from '@slipway/iac';
import { RESOURCE_BLOCKS } from '../schema/resources';
import { type ObjectValue } from '../wire/values';
import { importedState, refreshedState } from './state';
import { validateResource } from './validate';

const SERVICE = RESOURCE_BLOCKS.slipway_service;

/** Every attribute null but those given: what Terraform sends. */
const object = (given: ObjectValue): ObjectValue => ({
  ...Object.fromEntries(Object.keys(SERVICE).map((name) => [name, null])),
  ...given,
});

const autoscaling = (given: ObjectValue): ObjectValue => ({
  min_instances: 0,
  max_instances: 4,
  target_cpu_percent: 70,
  target_concurrency: null,
  idle_timeout_seconds: null,
  ...given,
});

/** A service as `@slipway/iac` reads it from the API, with its live autoscaling. */
const actual = (scaling: Record<string, number>): ActualResource => ({
  type: 'slipway_service',
  address: 'slipway_service.api',
  id: 's1',
  attributes: { name: 'api', image: 'nginx', autoscaling: scaling },
  computed: { id: 's1', hostname: 'api-1.apps', status: 'sleeping', deployment_id: 'd1' },
});

describe('autoscaling in the slipway_service schema and state', () => {
  it('declares the concurrency target and the idle timeout as optional numbers', () => {
    const nested = SERVICE.autoscaling?.type as { object: Record<string, object> };
    expect(nested.object.target_concurrency).toMatchObject({ type: 'number', optional: true });
    expect(nested.object.idle_timeout_seconds).toMatchObject({ type: 'number', optional: true });
    expect(nested.object.min_instances).toMatchObject({ required: true });
  });

  it('reads the default idle timeout as unset when the configuration left it out, and anything else as is', () => {
    const live = {
      min_instances: 0,
      max_instances: 4,
      target_cpu_percent: 70,
      target_concurrency: 20,
      idle_timeout_seconds: 900,
    };
    const prior = object({
      name: 'api',
      image: 'nginx',
      autoscaling: autoscaling({ target_concurrency: 20 }),
    });
    expect(refreshedState('slipway_service', prior, actual(live)).autoscaling).toEqual({
      ...live,
      idle_timeout_seconds: null,
    });
    const declared900 = object({
      ...prior,
      autoscaling: autoscaling({ target_concurrency: 20, idle_timeout_seconds: 900 }),
    });
    expect(refreshedState('slipway_service', declared900, actual(live)).autoscaling).toEqual(live);
    // Changed through the API: drift, shown against the configuration.
    const drifted = { ...live, idle_timeout_seconds: 1200 };
    expect(refreshedState('slipway_service', prior, actual(drifted)).autoscaling).toEqual(drifted);
    expect(importedState('slipway_service', actual(live)).autoscaling).toEqual({
      ...live,
      idle_timeout_seconds: null,
    });
  });

  it('refuses an idle timeout for a service that cannot sleep, pointing at it', () => {
    const config = object({
      project_id: '0e6f3c1a-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
      name: 'api',
      image: 'nginx',
      autoscaling: autoscaling({ min_instances: 1, idle_timeout_seconds: 600 }),
    });
    expect(validateResource('slipway_service', config)).toEqual([
      expect.objectContaining({
        detail:
          'autoscaling.idle_timeout_seconds: only applies with min_instances 0 (a service that may sleep)',
        attribute: {
          steps: [{ attribute_name: 'autoscaling' }, { attribute_name: 'idle_timeout_seconds' }],
        },
      }),
    ]);
    const sleeps = { ...config, autoscaling: autoscaling({ idle_timeout_seconds: 600 }) };
    expect(validateResource('slipway_service', sleeps)).toEqual([]);
  });
});

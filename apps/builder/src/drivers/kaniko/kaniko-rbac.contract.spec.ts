/**
 * The builder's roles cover every call the Kaniko driver makes (a build that replaces the
 * Job and Secret an earlier attempt left, then succeeds; cancelling deletes the same two),
 * and each of their rules is used.
 */
import { BUILDER_NAMESPACE_PERMISSIONS, BUILDER_PERMISSIONS } from '@slipway/k8s-spec';
import {
  grantedBy,
  permissionOf,
  statusReply,
  type FakeKubeApi,
} from '@slipway/kube-client/testing';
import type { KanikoBuildDriver } from './kaniko-build-driver';
import { DIGEST, payload } from './testing/fixtures';
import { RecordingSink, script, secretPath, startDriver } from './testing/harness';
import { jobs, pods, runJobController } from './testing/job-controller';

let api: FakeKubeApi;
let driver: KanikoBuildDriver;

beforeEach(async () => {
  ({ api, driver } = await startDriver());
});

afterEach(() => api.close());

it('grants the Kaniko driver exactly what it calls', async () => {
  runJobController(
    api,
    script({
      steps: [{ pod: pods.fetching }, { pod: pods.pushed(DIGEST), job: jobs.complete }],
      kanikoLog: 'INFO[0000] RUN true\n',
    }),
  );
  // An earlier attempt's Secret refuses the new one: the driver replaces the Job and Secret.
  let rejected = false;
  api.on((request) => {
    if (request.method !== 'PATCH' || request.path !== secretPath || rejected) return undefined;
    rejected = true;
    return statusReply(422, 'Invalid', 'field is immutable when `immutable` is set');
  });
  await driver.build(payload, new RecordingSink(), new AbortController().signal);

  const granted = grantedBy([...BUILDER_PERMISSIONS, ...BUILDER_NAMESPACE_PERMISSIONS]);
  const called = new Set(
    api.requests.map(permissionOf).filter((p): p is string => p !== undefined),
  );
  expect([...called].filter((p) => !granted.has(p)).sort()).toEqual([]);
  // Creating on first apply is authorised as `create`; the stand-in records a patch.
  expect([...granted].filter((p) => !called.has(p) && !p.endsWith(' create')).sort()).toEqual([]);
});

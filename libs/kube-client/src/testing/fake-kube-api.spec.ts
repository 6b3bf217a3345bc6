/**
 * The stand-in refuses what a real API server refuses before storing anything, so contract
 * specs cannot pass with objects a cluster would reject.
 */
import { FakeKubeApi } from './fake-kube-api';
import { objectPath } from './resources';

const APPLY = 'application/apply-patch+yaml';

function deployment(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'acme' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/web:1' }] },
      },
    },
    ...overrides,
  };
}

describe('FakeKubeApi admission', () => {
  let api: FakeKubeApi;
  beforeEach(async () => {
    api = await FakeKubeApi.started();
  });
  afterEach(() => api.close());

  async function send(
    method: 'PATCH' | 'POST',
    path: string,
    body: unknown,
    contentType = APPLY,
  ): Promise<{ status: number; body: { reason?: string; message?: string } }> {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { 'Content-Type': contentType },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { reason?: string } };
  }
  const webPath = objectPath('apps/v1', 'Deployment', 'acme', 'web');

  it('stores a valid object applied at its own path', async () => {
    await expect(send('PATCH', webPath, deployment())).resolves.toMatchObject({ status: 201 });
    expect(api.get('apps/v1', 'Deployment', 'acme', 'web')).toBeDefined();
  });

  it('answers 422 Invalid, naming every problem, for what the schema rejects', async () => {
    const broken = deployment({ spec: { replicas: 'two', template: {} } });
    const res = await send('PATCH', webPath, broken);
    expect(res).toMatchObject({ status: 422, body: { reason: 'Invalid' } });
    expect(res.body.message).toMatch(/^Deployment "web" is invalid: /);
    expect(res.body.message).toContain('data/spec/replicas must be integer');
    expect(res.body.message).toContain('data/spec must have required property selector');
    expect(api.get('apps/v1', 'Deployment', 'acme', 'web')).toBeUndefined();
  });

  it('answers 422 for an unknown field and for a name that is not a DNS name', async () => {
    const typo = deployment({ spec: { ...(deployment().spec as object), replica: 2 } });
    await expect(send('PATCH', webPath, typo)).resolves.toMatchObject({
      status: 422,
      body: { message: expect.stringContaining('unknown field /spec/replica') },
    });
    const path = objectPath('apps/v1', 'Deployment', 'acme', 'Web_1');
    const badName = deployment({ metadata: { name: 'Web_1', namespace: 'acme' } });
    await expect(send('PATCH', path, badName)).resolves.toMatchObject({
      status: 422,
      body: { message: expect.stringContaining('metadata.name: Invalid value: "Web_1"') },
    });
  });

  it('answers 400 when the body does not match the URL', async () => {
    const elsewhere = deployment({ metadata: { name: 'web', namespace: 'other' } });
    await expect(send('PATCH', webPath, elsewhere)).resolves.toMatchObject({
      status: 400,
      body: { reason: 'BadRequest' },
    });
    const renamed = deployment({ metadata: { name: 'api', namespace: 'acme' } });
    await expect(send('PATCH', webPath, renamed)).resolves.toMatchObject({
      status: 400,
      body: { message: 'the name of the object (api) does not match the name on the URL (web)' },
    });
    const asService = { ...deployment(), apiVersion: 'v1', kind: 'Service' };
    await expect(send('PATCH', webPath, asService)).resolves.toMatchObject({ status: 400 });
  });

  it('checks the result of a merge patch too', async () => {
    await send('PATCH', webPath, deployment());
    const res = await send(
      'PATCH',
      webPath,
      { spec: { replicas: 'many' } },
      'application/merge-patch+json',
    );
    expect(res).toMatchObject({ status: 422 });
    expect(res.body.message).toContain('data/spec/replicas must be integer');
    expect(api.get('apps/v1', 'Deployment', 'acme', 'web')?.spec).not.toMatchObject({
      replicas: 'many',
    });
  });

  it('answers 422 when an apply changes an immutable field, and takes the others', async () => {
    await send('PATCH', webPath, deployment());
    const moved = deployment();
    (moved.spec as Record<string, unknown>).selector = { matchLabels: { app: 'api' } };
    await expect(send('PATCH', webPath, moved)).resolves.toMatchObject({
      status: 422,
      body: {
        message: expect.stringContaining('spec.selector: Invalid value: field is immutable'),
      },
    });
    const scaled = deployment();
    (scaled.spec as Record<string, unknown>).replicas = 3;
    await expect(send('PATCH', webPath, scaled)).resolves.toMatchObject({ status: 200 });
  });
});

describe('FakeKubeApi server-side apply', () => {
  let api: FakeKubeApi;
  beforeEach(async () => {
    api = await FakeKubeApi.started();
  });
  afterEach(() => api.close());

  const path = objectPath('apps/v1', 'Deployment', 'acme', 'web');
  async function patch(
    body: unknown,
    manager: string,
    options: { force?: boolean; merge?: boolean } = {},
  ): Promise<{ status: number; body: { message?: string } }> {
    const query = `?fieldManager=${manager}${options.force === true ? '&force=true' : ''}`;
    const res = await fetch(`${api.url}${path}${query}`, {
      method: 'PATCH',
      headers: { 'Content-Type': options.merge === true ? 'application/merge-patch+json' : APPLY },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { message?: string } };
  }
  const stored = () => api.get('apps/v1', 'Deployment', 'acme', 'web');

  it('removes what the applying manager stopped sending, and nothing else', async () => {
    const labelled = deployment({
      metadata: { name: 'web', namespace: 'acme', labels: { 'app.kubernetes.io/name': 'web' } },
    });
    await patch(labelled, 'slipway', { force: true });
    await patch({ metadata: { labels: { team: 'a' } } }, 'someone-else', { merge: true });
    await patch(deployment(), 'slipway', { force: true });
    expect(stored()).toMatchObject({ metadata: { labels: { team: 'a' } } });
    expect(JSON.stringify(stored())).not.toContain('app.kubernetes.io/name');
  });

  it('keeps replicas a scale set when an apply leaves them out, as with an autoscaler', async () => {
    await patch(deployment(), 'slipway', { force: true });
    await patch({ spec: { replicas: 4 } }, 'slipway-scale', { merge: true });
    await patch(deployment(), 'slipway', { force: true });
    expect(stored()).toMatchObject({ spec: { replicas: 4 } });
  });

  it('answers 409 naming the manager and field another one owns; force takes it over', async () => {
    await patch(deployment(), 'slipway', { force: true });
    await patch({ spec: { replicas: 4 } }, 'slipway-scale', { merge: true });
    const pinned = deployment();
    (pinned.spec as Record<string, unknown>).replicas = 2;
    await expect(patch(pinned, 'slipway')).resolves.toEqual({
      status: 409,
      body: expect.objectContaining({
        reason: 'Conflict',
        message: 'Apply failed with 1 conflict(s): conflict with "slipway-scale": .spec.replicas',
      }),
    });
    expect(stored()).toMatchObject({ spec: { replicas: 4 } });
    await expect(patch(pinned, 'slipway', { force: true })).resolves.toMatchObject({
      status: 200,
    });
    expect(stored()).toMatchObject({ spec: { replicas: 2 } });
    // Now the apply's own field: leaving it out removes it.
    await patch(deployment(), 'slipway', { force: true });
    expect((stored()?.spec as Record<string, unknown>).replicas).toBeUndefined();
  });
});

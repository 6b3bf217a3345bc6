import { schemaProblems } from './schema';

/** A valid Deployment, fresh for each test to break. */
function deployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'acme', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.example/web:1',
              securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
            },
          ],
        },
      },
    },
  };
}

describe('schemaProblems', () => {
  it('passes a valid Deployment', () => {
    expect(schemaProblems(deployment())).toEqual([]);
  });

  it('reports a type error from the Kubernetes schema', () => {
    const object = deployment();
    (object.spec as Record<string, unknown>).replicas = 'two';
    expect(schemaProblems(object)).toEqual([
      expect.stringContaining('data/spec/replicas must be integer'),
    ]);
  });

  it('reports unknown fields at any depth, which kubernetes-models lets through', () => {
    const object = deployment();
    (object.spec as Record<string, unknown>).replica = 2;
    const template = (
      object.spec as { template: { spec: { containers: Record<string, unknown>[] } } }
    ).template;
    const container = template.spec.containers[0] ?? {};
    container.securityContext = { ...(container.securityContext as object), runAsNonroot: true };
    expect(schemaProblems(object)).toEqual([
      'unknown field /spec/template/spec/containers/0/securityContext/runAsNonroot',
      'unknown field /spec/replica',
    ]);
  });

  it('accepts any keys inside maps such as labels and resource lists', () => {
    const object = deployment();
    (object.metadata as { labels: Record<string, string> }).labels['anything.example/key'] = 'v';
    expect(schemaProblems(object)).toEqual([]);
  });

  it('reports undefined values and unknown kinds', () => {
    const object = deployment();
    (object.metadata as Record<string, unknown>).generateName = undefined;
    expect(schemaProblems(object)).toEqual([expect.stringContaining('not plain JSON')]);
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Widget' })).toEqual([
      'no schema for v1 Widget',
    ]);
  });
});

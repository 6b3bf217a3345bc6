import { renderNamespace } from './namespace';
import { expectValid, setup } from './test-support/setup';

describe('renderNamespace', () => {
  const { spec, names } = setup();
  const namespace = expectValid(renderNamespace(spec, names));

  it('is named by the one naming rule from the project name and id', () => {
    expect(namespace.metadata?.name).toBe(names.namespace);
    expect(names.namespace).toMatch(/^slp-default-[0-9a-f]{10}$/);
  });

  it('enforces, audits and warns at the restricted Pod Security level', () => {
    expect(namespace.metadata?.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('carries the org and project ids', () => {
    expect(namespace.metadata?.labels).toMatchObject({
      'slipway.dev/org-id': spec.org.id,
      'slipway.dev/project-id': spec.project.id,
    });
  });

  it('changes name with the project id even when the name is reused', () => {
    const other = setup({ project: { id: 'prj-0002', name: 'default' } });
    expect(other.names.namespace).not.toBe(names.namespace);
  });

  it('matches the snapshot', () => {
    expect(namespace).toMatchSnapshot();
  });
});

import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import { BUILD_POD_SECURITY_EXCEPTION, renderBuildJob, renderBuildNamespace } from './build-job';
import { SpecValidationError } from './errors';
import { renderServiceObjects, serviceNames, type ServiceObject } from './render';
import {
  SECRET_VALUES,
  baseSpec,
  buildOptions,
  buildSpec,
  platform,
  representativeSpecs,
} from './test-support/fixtures';
import { podSecurityViolations } from './test-support/pod-security';
import { schemaProblems } from '@slipway/kube-client/testing';

const table = Object.entries(representativeSpecs);

function podTemplate(object: ServiceObject): IPodTemplateSpec | undefined {
  return object.kind === 'Deployment' || object.kind === 'StatefulSet'
    ? object.spec?.template
    : undefined;
}

describe('renderServiceObjects over the representative specs', () => {
  it.each(table)('%s: every object validates against the Kubernetes schema', (_name, spec) => {
    const objects = renderServiceObjects(spec, platform);
    expect(objects.length).toBeGreaterThan(5);
    for (const object of objects) {
      expect({
        kind: object.kind,
        name: object.metadata?.name,
        problems: schemaProblems(object),
      }).toEqual({
        kind: object.kind,
        name: object.metadata?.name,
        problems: [],
      });
    }
  });

  it.each(table)(
    '%s: the pod template passes the restricted Pod Security Standard',
    (_name, spec) => {
      const templates = renderServiceObjects(spec, platform).flatMap(
        (object) => podTemplate(object) ?? [],
      );
      expect(templates).toHaveLength(1);
      for (const template of templates)
        expect(podSecurityViolations(template, 'restricted')).toEqual([]);
    },
  );

  it.each(table)('%s: no secret value appears outside Secrets', (_name, spec) => {
    const outsideSecrets = JSON.stringify(
      renderServiceObjects(spec, platform).filter((object) => object.kind !== 'Secret'),
    );
    for (const value of SECRET_VALUES) {
      expect(outsideSecrets).not.toContain(value);
      expect(outsideSecrets).not.toContain(Buffer.from(value).toString('base64'));
    }
  });

  it.each(table)('%s: objects come in apply order with unique kind/name pairs', (_name, spec) => {
    const objects = renderServiceObjects(spec, platform);
    const kinds = objects.map((object) => object.kind);
    expect(kinds[0]).toBe('Namespace');
    const workload = kinds.findIndex((kind) => kind === 'Deployment' || kind === 'StatefulSet');
    expect(kinds.indexOf('ServiceAccount')).toBeLessThan(workload);
    expect(kinds.lastIndexOf('Secret')).toBeLessThan(workload);
    const keys = objects.map(
      (object) => `${object.kind}/${object.metadata?.namespace}/${object.metadata?.name}`,
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(table)('%s: matches the snapshot', (_name, spec) => {
    expect(renderServiceObjects(spec, platform)).toMatchSnapshot();
  });

  it('puts every per-service object in the project namespace, Ingresses in the edge namespace', () => {
    const spec = representativeSpecs.customDomain ?? baseSpec;
    const names = serviceNames(spec, platform);
    for (const object of renderServiceObjects(spec, platform)) {
      if (object.kind === 'Namespace') expect(object.metadata?.name).toBe(names.namespace);
      else if (object.kind === 'Ingress')
        expect(object.metadata?.namespace).toBe(platform.edge.namespace);
      else expect(object.metadata?.namespace).toBe(names.namespace);
    }
  });

  it('refuses an invalid spec with every problem named', () => {
    const bad = { ...baseSpec, service: { id: 'svc-1', name: 'Web_App' }, replicas: -1 };
    expect(() => renderServiceObjects(bad, platform)).toThrow(SpecValidationError);
    expect(() => renderServiceObjects(bad, platform)).toThrow(
      /spec\.service\.name: must be a DNS-1123 label.*; spec\.replicas: must be in 0\.\.100 \(got -1\)/,
    );
  });
});

describe('the build job against the restricted checker', () => {
  const [secret, job] = renderBuildJob(buildSpec, buildOptions);
  const template = job.spec?.template ?? {};

  it('validates against the Kubernetes schema', () => {
    expect(schemaProblems(secret)).toEqual([]);
    expect(schemaProblems(job)).toEqual([]);
    expect(schemaProblems(renderBuildNamespace())).toEqual([]);
  });

  it('breaks exactly the documented exception, in the Kaniko container only', () => {
    const violations = podSecurityViolations(template, 'restricted');
    expect(violations.map(({ rule, container }) => ({ rule, container }))).toEqual(
      BUILD_POD_SECURITY_EXCEPTION.rules.map((rule) => ({
        rule,
        container: BUILD_POD_SECURITY_EXCEPTION.container,
      })),
    );
  });

  it('passes the baseline level its namespace enforces', () => {
    expect(BUILD_POD_SECURITY_EXCEPTION.namespaceLevel).toBe('baseline');
    expect(renderBuildNamespace().metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe(
      'baseline',
    );
    expect(podSecurityViolations(template, 'baseline')).toEqual([]);
  });
});

import {
  BuildJobPayloadSchema,
  BuildJobResultSchema,
  DeployJobPayloadSchema,
  RetireJobPayloadSchema,
  SERVICE_JOBS,
  SERVICE_JOB_NAMES,
  type BuildJobPayload,
} from './jobs';

const validBuild: BuildJobPayload = {
  deploymentId: 'dep-1',
  serviceId: 'svc-1',
  projectId: 'prj-1',
  orgId: 'org-1',
  bundle: {
    url: 'http://api.slipway-system.svc:3000/internal/builds/dep-1/bundle',
    token: 'slp_bt_0123456789abcdef',
    sha256: 'a'.repeat(64),
    sizeBytes: 2048,
  },
  docker: { file: 'Dockerfile', context: '.' },
  destination: 'registry.local:5000/acme/default/web:dep-1',
};

function issuePaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.'));
}

describe('BuildJobPayloadSchema', () => {
  it('accepts a complete payload', () => {
    expect(BuildJobPayloadSchema.parse(validBuild)).toEqual(validBuild);
  });

  it.each([
    ['docker.file', { ...validBuild, docker: { file: '../Dockerfile', context: '.' } }],
    ['docker.context', { ...validBuild, docker: { file: 'Dockerfile', context: '/etc' } }],
    ['bundle.url', { ...validBuild, bundle: { ...validBuild.bundle, url: 'file:///etc/passwd' } }],
    ['bundle.sha256', { ...validBuild, bundle: { ...validBuild.bundle, sha256: 'xyz' } }],
    ['destination', { ...validBuild, destination: 'registry.local/acme/web' }],
    ['deploymentId', { ...validBuild, deploymentId: 'has space' }],
    ['', { ...validBuild, extra: true }],
  ])('rejects a bad %s', (path, payload) => {
    const result = BuildJobPayloadSchema.safeParse(payload);
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toContain(path);
  });
});

describe('BuildJobResultSchema', () => {
  it('requires a sha256 digest', () => {
    const image = validBuild.destination;
    expect(
      BuildJobResultSchema.safeParse({ image, digest: `sha256:${'0'.repeat(64)}` }).success,
    ).toBe(true);
    expect(BuildJobResultSchema.safeParse({ image, digest: 'latest' }).success).toBe(false);
  });
});

describe('DeployJobPayloadSchema', () => {
  const valid = {
    deploymentId: 'dep-1',
    serviceId: 'svc-1',
    projectId: 'prj-1',
    orgId: 'org-1',
    trigger: 'deploy',
  };

  it('accepts an image deploy and a source deploy', () => {
    expect(DeployJobPayloadSchema.parse({ ...valid, image: 'nginx:1.27' }).image).toBe(
      'nginx:1.27',
    );
    expect(DeployJobPayloadSchema.parse(valid).image).toBeUndefined();
  });

  it('rejects an unknown trigger', () => {
    const result = DeployJobPayloadSchema.safeParse({ ...valid, trigger: 'yolo' });
    expect(issuePaths(result)).toEqual(['trigger']);
  });
});

describe('SERVICE_JOBS', () => {
  it('names every job of the deploy queue once, deploy among them', () => {
    expect(SERVICE_JOB_NAMES).toEqual([
      'deploy',
      'operation',
      'retire',
      'delete',
      'volume-transfer',
    ]);
    expect(SERVICE_JOBS.deploy).toBe(DeployJobPayloadSchema);
  });

  it('takes a volume transfer id and its service, nothing else', () => {
    const payload = { transferId: 'tr-1', serviceId: 'svc-1' };
    expect(SERVICE_JOBS['volume-transfer'].parse(payload)).toEqual(payload);
    expect(() => SERVICE_JOBS['volume-transfer'].parse({ ...payload, extra: 1 })).toThrow();
  });

  it('takes an operation id and its service', () => {
    expect(SERVICE_JOBS.operation.parse({ operationId: 'op-1', serviceId: 'svc-1' })).toEqual({
      operationId: 'op-1',
      serviceId: 'svc-1',
    });
    expect(issuePaths(SERVICE_JOBS.operation.safeParse({ operationId: 'op-1' }))).toEqual([
      'serviceId',
    ]);
  });

  it('retires container ids only, at least one', () => {
    const id = 'a'.repeat(64);
    expect(RetireJobPayloadSchema.parse({ serviceId: 'svc-1', instances: [id] }).instances).toEqual(
      [id],
    );
    expect(
      issuePaths(RetireJobPayloadSchema.safeParse({ serviceId: 'svc-1', instances: [] })),
    ).toEqual(['instances']);
    expect(
      issuePaths(RetireJobPayloadSchema.safeParse({ serviceId: 'svc-1', instances: ['../x'] })),
    ).toEqual(['instances.0']);
  });
});

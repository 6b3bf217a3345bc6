import { renderImagePullSecret, renderServiceSecret, secretEnvNames } from './secret';
import { platform as options } from './test-support/fixtures';
import { expectValid, setup } from './test-support/setup';

const decode = (value: string | undefined): string =>
  Buffer.from(value ?? '', 'base64').toString('utf8');

describe('renderServiceSecret', () => {
  const { spec, names } = setup({
    env: [
      { name: 'PLAIN', value: 'visible' },
      { name: 'API_KEY', value: 'top-secret', secret: true },
    ],
  });
  const secret = expectValid(renderServiceSecret(spec, names));

  it('holds the service token, the OTLP headers and only the secret env', () => {
    expect(Object.keys(secret.data ?? {})).toEqual(secretEnvNames(spec));
    expect(Object.keys(secret.data ?? {})).toEqual([
      'SLIPWAY_SERVICE_TOKEN',
      'OTEL_EXPORTER_OTLP_HEADERS',
      'API_KEY',
    ]);
    expect(decode(secret.data?.SLIPWAY_SERVICE_TOKEN)).toBe(spec.serviceToken);
    expect(decode(secret.data?.OTEL_EXPORTER_OTLP_HEADERS)).toBe(
      `Authorization=Bearer%20${spec.serviceToken}`,
    );
    expect(decode(secret.data?.API_KEY)).toBe('top-secret');
  });

  it('uses base64 data, not stringData, and is named like the workload', () => {
    expect(secret).not.toHaveProperty('stringData');
    expect(secret.type).toBe('Opaque');
    expect(secret.metadata?.name).toBe(names.base);
  });

  it('matches the snapshot', () => {
    expect(secret).toMatchSnapshot();
  });
});

describe('renderImagePullSecret', () => {
  it('renders a dockerconfigjson Secret when the platform gives its content', () => {
    const { names, platform } = setup();
    const secret = expectValid(renderImagePullSecret(names, platform));
    expect(secret?.type).toBe('kubernetes.io/dockerconfigjson');
    expect(decode(secret?.data?.['.dockerconfigjson'])).toBe('{"auths":{}}');
    expect(secret).toMatchSnapshot();
  });

  it('renders nothing when the Secret is only referenced', () => {
    const { names, platform } = setup({}, { ...options, imagePullSecret: { name: 'existing' } });
    expect(renderImagePullSecret(names, platform)).toBeUndefined();
  });
});

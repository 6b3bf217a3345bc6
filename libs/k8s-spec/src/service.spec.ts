import { renderClusterService, renderHeadlessService } from './service';
import { expectValid, setup } from './test-support/setup';

describe('renderClusterService', () => {
  const { spec, names } = setup();
  const service = expectValid(renderClusterService(spec, names));

  it('is a ClusterIP on 8080 selecting the service pods by id', () => {
    expect(service.spec).toEqual({
      type: 'ClusterIP',
      selector: { 'slipway.dev/service-id': 'svc-0001' },
      ports: [
        { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      ],
    });
    expect(service.metadata?.name).toBe(names.base);
  });

  it('has a DNS-1035 name (Services need a leading letter)', () => {
    expect(service.metadata?.name).toMatch(/^[a-z][-a-z0-9]*[a-z0-9]$/);
  });

  it('matches the snapshot', () => {
    expect(service).toMatchSnapshot();
  });
});

describe('renderHeadlessService', () => {
  const { spec, names } = setup();
  const service = expectValid(renderHeadlessService(spec, names));

  it('has no cluster IP and its own name', () => {
    expect(service.spec?.clusterIP).toBe('None');
    expect(service.metadata?.name).toBe(names.headless);
    expect(names.headless).not.toBe(names.base);
  });

  it('matches the snapshot', () => {
    expect(service).toMatchSnapshot();
  });
});

import { renderServiceAccount } from './service-account';
import { expectValid, setup } from './test-support/setup';

describe('renderServiceAccount', () => {
  const { spec, names } = setup();
  const account = expectValid(renderServiceAccount(spec, names));

  it('never automounts an API token', () => {
    expect(account.automountServiceAccountToken).toBe(false);
  });

  it('is the identity the pod runs as', () => {
    expect(account.metadata?.name).toBe(names.base);
    expect(account.metadata?.namespace).toBe(names.namespace);
  });

  it('matches the snapshot', () => {
    expect(account).toMatchSnapshot();
  });
});

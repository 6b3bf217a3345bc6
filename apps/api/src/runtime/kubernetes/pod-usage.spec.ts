import { parseQuantity } from './pod-usage';

describe('parseQuantity', () => {
  it.each([
    ['12345678n', 0.012345678],
    ['1500u', 0.0015],
    ['250m', 0.25],
    ['1', 1],
    ['0', 0],
    ['0.5', 0.5],
    ['2k', 2000],
    ['1M', 1_000_000],
    ['123456Ki', 123456 * 1024],
    ['64Mi', 64 * 1024 * 1024],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['1e3', 1000],
    ['5E-3', 0.005],
    ['2E', 2e18],
  ])('reads %s as %d', (text, value) => {
    expect(parseQuantity(text)).toBe(value);
  });

  it.each(['', 'm', '12 Mi', '-1', '1KiB', '1x'])('refuses "%s"', (text) => {
    expect(() => parseQuantity(text)).toThrow(`not a Kubernetes quantity: "${text}"`);
  });
});

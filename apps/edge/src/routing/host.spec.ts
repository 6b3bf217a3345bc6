import { hostnameOf } from './host';

describe('hostnameOf', () => {
  it.each([
    ['api-1a2b3c.localhost', 'api-1a2b3c.localhost'],
    ['API-1A2B3C.Localhost', 'api-1a2b3c.localhost'],
    ['api-1a2b3c.localhost:8000', 'api-1a2b3c.localhost'],
    ['api-1a2b3c.example.com.', 'api-1a2b3c.example.com'],
    ['api.example.com.:443', 'api.example.com'],
    [' spaced.example.com ', 'spaced.example.com'],
    ['[::1]:8000', '[::1]'],
    ['127.0.0.1:8000', '127.0.0.1'],
  ])('reads %j as %j', (header, expected) => {
    expect(hostnameOf(header)).toBe(expected);
  });

  it.each([
    undefined,
    '',
    'a b.example.com',
    'host:port',
    'host:123456',
    'under_score.example.com',
    '-leading.example.com',
    '[::1',
    '[::1]x',
    `${'a'.repeat(64)}.example.com`,
  ])('refuses %j', (header) => {
    expect(hostnameOf(header)).toBeNull();
  });
});

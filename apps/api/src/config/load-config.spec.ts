import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, redactConfig } from './load-config';

/** Runs loadConfig and returns the problems it reports; fails the test if it succeeds. */
function problemsOf(options: Parameters<typeof loadConfig>[0]): string[] {
  try {
    loadConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted an invalid configuration');
}

const SECRET = 'a-production-secret-key-of-forty-characters';

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'slipway-config-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  function configFile(name: string, yaml: string): string {
    const file = join(dir, name);
    writeFileSync(file, yaml);
    return file;
  }

  it('reads the base file: services ship disabled, development defaults', () => {
    const config = loadConfig({ env: {} });
    expect(config.services.enabled).toBe(false);
    expect(config.env).toBe('development');
    expect(config.http).toEqual({ port: 3000, bodyLimitBytes: 1048576, trustProxy: false });
    expect(config.appsDomain).toBe('localhost');
    expect(config.idempotency.ttlHours).toBe(24);
    expect(config.bootstrap.token).toBeUndefined();
    expect(config.secretKey.length).toBeGreaterThanOrEqual(32);
  });

  it('returns a deeply frozen config', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.services)).toBe(true);
    expect(() => {
      config.services.enabled = true;
    }).toThrow(TypeError);
  });

  it.each(['true', 'TRUE', ' true ', '1'])(
    'SLIPWAY_SERVICES_ENABLED=%j turns services on although the base file says false',
    (value) => {
      expect(loadConfig({ env: { SLIPWAY_SERVICES_ENABLED: value } }).services.enabled).toBe(true);
    },
  );

  it.each(['false', '0'])('SLIPWAY_SERVICES_ENABLED=%j keeps them off', (value) => {
    expect(loadConfig({ env: { SLIPWAY_SERVICES_ENABLED: value } }).services.enabled).toBe(false);
  });

  it('applies environment overrides over the file, typed', () => {
    const config = loadConfig({
      env: {
        PORT: '8080',
        SLIPWAY_TRUST_PROXY: 'true',
        DATABASE_URL: 'postgresql://u:p@db:5432/x',
        REDIS_URL: 'rediss://cache:6380',
        SLIPWAY_APPS_DOMAIN: 'apps.example.com',
        SLIPWAY_IDEMPOTENCY_TTL_HOURS: '48',
        LOG_LEVEL: 'debug',
      },
    });
    expect(config.http.port).toBe(8080);
    expect(config.http.trustProxy).toBe(true);
    expect(config.database.url).toBe('postgresql://u:p@db:5432/x');
    expect(config.redis.url).toBe('rediss://cache:6380');
    expect(config.appsDomain).toBe('apps.example.com');
    expect(config.idempotency.ttlHours).toBe(48);
    expect(config.log.level).toBe('debug');
  });

  it('ignores empty environment values', () => {
    expect(loadConfig({ env: { PORT: '', SLIPWAY_SERVICES_ENABLED: '' } })).toMatchObject({
      http: { port: 3000 },
      services: { enabled: false },
    });
  });

  it('reads another base file named by SLIPWAY_CONFIG_FILE, still overridden by the env', () => {
    const base = loadConfig({ env: {} });
    const file = configFile(
      'custom.yaml',
      JSON.stringify({ ...base, secretKey: undefined, services: { enabled: true } }).replace(
        /"port":3000/,
        '"port":4000',
      ),
    );
    const fromFile = loadConfig({ env: { SLIPWAY_CONFIG_FILE: file } });
    expect(fromFile.services.enabled).toBe(true);
    expect(fromFile.http.port).toBe(4000);
    const overridden = loadConfig({
      env: { SLIPWAY_CONFIG_FILE: file, PORT: '5000', SLIPWAY_SERVICES_ENABLED: 'false' },
    });
    expect(overridden.http.port).toBe(5000);
    expect(overridden.services.enabled).toBe(false);
  });

  it('applies explicit overrides last', () => {
    const config = loadConfig({ env: { PORT: '8080' }, overrides: { 'http.port': 9090 } });
    expect(config.http.port).toBe(9090);
  });

  it('lists every problem at once, naming the variable', () => {
    const problems = problemsOf({
      env: {
        PORT: 'eighty',
        SLIPWAY_SERVICES_ENABLED: 'yes please',
        REDIS_URL: 'http://cache',
        SLIPWAY_IDEMPOTENCY_TTL_HOURS: '1',
        LOG_LEVEL: 'loud',
      },
    });
    expect(problems).toHaveLength(5);
    expect(problems).toEqual(
      expect.arrayContaining([
        "PORT: must be an integer (got 'eighty')",
        "SLIPWAY_SERVICES_ENABLED: must be true or false (got 'yes please')",
        'redis.url (REDIS_URL): must be a redis:// or rediss:// URL',
        'idempotency.ttlHours (SLIPWAY_IDEMPOTENCY_TTL_HOURS): must be at least 24 hours',
        expect.stringMatching(/^log\.level \(LOG_LEVEL\): /),
      ]),
    );
  });

  it('puts every problem in the error message', () => {
    const error = (() => {
      try {
        loadConfig({ env: { PORT: 'x', SLIPWAY_SERVICES_ENABLED: 'maybe' } });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.name).toBe('ConfigError');
    expect(error?.message).toContain('PORT: must be an integer');
    expect(error?.message).toContain('SLIPWAY_SERVICES_ENABLED: must be true or false');
  });

  it('refuses out-of-range values the schema checks', () => {
    expect(problemsOf({ env: { PORT: '70000' } })).toEqual([
      expect.stringMatching(/^http\.port \(PORT\): /),
    ]);
    expect(problemsOf({ env: { SLIPWAY_APPS_DOMAIN: 'Apps.Example.com' } })).toEqual([
      expect.stringMatching(/^appsDomain \(SLIPWAY_APPS_DOMAIN\): must be a lowercase DNS name/),
    ]);
    expect(problemsOf({ env: { NODE_ENV: 'staging' } })).toEqual([
      expect.stringMatching(/^env \(NODE_ENV\): /),
    ]);
  });

  it('fails in production without SLIPWAY_SECRET_KEY, together with other problems', () => {
    expect(problemsOf({ env: { NODE_ENV: 'production' } })).toEqual([
      'secretKey (SLIPWAY_SECRET_KEY): SLIPWAY_SECRET_KEY is required when NODE_ENV=production',
    ]);
    const problems = problemsOf({ env: { NODE_ENV: 'production', PORT: 'x' } });
    expect(problems).toHaveLength(2);
  });

  it('uses the given secret key in production and refuses a short one', () => {
    const config = loadConfig({ env: { NODE_ENV: 'production', SLIPWAY_SECRET_KEY: SECRET } });
    expect(config.secretKey).toBe(SECRET);
    expect(problemsOf({ env: { NODE_ENV: 'production', SLIPWAY_SECRET_KEY: 'short' } })).toEqual([
      'secretKey (SLIPWAY_SECRET_KEY): must be at least 32 characters',
    ]);
  });

  it('reports an unreadable or malformed config file and unknown keys in it', () => {
    const missing = join(dir, 'missing.yaml');
    expect(problemsOf({ env: { SLIPWAY_CONFIG_FILE: missing } })[0]).toMatch(
      new RegExp(`^SLIPWAY_CONFIG_FILE: cannot read ${missing.replace(/[.\\/]/g, '\\$&')}`),
    );
    const broken = configFile('broken.yaml', 'http: [unclosed\n');
    expect(problemsOf({ env: { SLIPWAY_CONFIG_FILE: broken } })[0]).toMatch(
      /^SLIPWAY_CONFIG_FILE: cannot read /,
    );
    expect(problemsOf({ env: {}, overrides: { colour: 'red' } })).toEqual([
      expect.stringContaining('colour'),
    ]);
  });
});

describe('redactConfig', () => {
  const secrets = {
    DATABASE_URL: 'postgres://app:db-password@db:5432/slipway',
    REDIS_URL: 'redis://:redis-password@cache:6379',
    SLIPWAY_SECRET_KEY: SECRET,
    SLIPWAY_BOOTSTRAP_TOKEN: 'slp_pat_bootstrap-token-value',
  };

  it('hides every sensitive value and keeps the rest', () => {
    const config = loadConfig({ env: { ...secrets, PORT: '8080' } });
    const redacted = redactConfig(config) as {
      database: { url: string; migrateOnStart: boolean };
      redis: { url: string };
      secretKey: string;
      bootstrap: { token: string; adminEmail: string };
      http: { port: number };
    };
    expect(redacted.database).toEqual({ url: '[redacted]', migrateOnStart: true });
    expect(redacted.redis.url).toBe('[redacted]');
    expect(redacted.secretKey).toBe('[redacted]');
    expect(redacted.bootstrap).toEqual({ token: '[redacted]', adminEmail: 'admin@slipway.local' });
    expect(redacted.http.port).toBe(8080);
    const text = JSON.stringify(redacted);
    for (const value of ['db-password', 'redis-password', SECRET, 'bootstrap-token-value']) {
      expect(text).not.toContain(value);
    }
  });

  it('leaves the config itself untouched and absent values absent', () => {
    const config = loadConfig({ env: { SLIPWAY_SECRET_KEY: SECRET } });
    const redacted = redactConfig(config) as { bootstrap: Record<string, unknown> };
    expect(redacted.bootstrap).not.toHaveProperty('token');
    expect(config.secretKey).toBe(SECRET);
    expect(config.database.url).toMatch(/^postgres:\/\//);
  });
});

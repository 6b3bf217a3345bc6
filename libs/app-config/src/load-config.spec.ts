import { z } from 'zod';
import { ConfigError } from './config-error';
import type { EnvVarDefinition } from './env-vars';
import {
  describeIssues,
  emptySections,
  loadConfig,
  redactConfig,
  requiredInProduction,
} from './load-config';
import { sectionOverrides, valueAt } from './paths';

const schema = z.strictObject({
  http: z.strictObject({
    port: z.number().int().min(1).max(65535).default(8000),
    trustProxy: z.boolean().default(false),
  }),
  store: z.strictObject({
    url: z
      .string()
      .regex(/^postgres:\/\//, 'must be a postgres:// URL')
      .optional(),
    hosts: z.array(z.string().regex(/^[a-z]+$/, 'must be letters')).default([]),
  }),
});

const envVars: readonly EnvVarDefinition[] = [
  { name: 'CONFIG_FILE', kind: 'string', description: 'd', defaultValue: '-', sensitive: false },
  {
    name: 'PORT',
    path: 'http.port',
    kind: 'integer',
    description: 'd',
    defaultValue: '8000',
    sensitive: false,
  },
  {
    name: 'TRUST_PROXY',
    path: 'http.trustProxy',
    kind: 'boolean',
    description: 'd',
    defaultValue: 'false',
    sensitive: false,
  },
  {
    name: 'STORE_URL',
    path: 'store.url',
    kind: 'string',
    description: 'd',
    defaultValue: '-',
    sensitive: true,
  },
  {
    name: 'STORE_HOSTS',
    path: 'store.hosts',
    kind: 'list',
    description: 'd',
    defaultValue: '',
    sensitive: false,
  },
];

function load(env: NodeJS.ProcessEnv, overrides?: Record<string, unknown>) {
  return loadConfig({ schema, envVars, env, base: emptySections(schema), overrides });
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('loadConfig', () => {
  it('applies the schema defaults and freezes the result deeply', () => {
    const config = load({});
    expect(config).toEqual({ http: { port: 8000, trustProxy: false }, store: { hosts: [] } });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.http)).toBe(true);
    expect(Object.isFrozen(config.store.hosts)).toBe(true);
  });

  it('places each variable by its path and kind, skipping blank ones', () => {
    const config = load({
      PORT: '9000',
      TRUST_PROXY: 'yes',
      STORE_URL: ' postgres://db/x ',
      STORE_HOSTS: 'a, b',
      CONFIG_FILE: 'ignored.yaml',
    });
    expect(config).toEqual({
      http: { port: 9000, trustProxy: true },
      store: { url: 'postgres://db/x', hosts: ['a', 'b'] },
    });
    expect(load({ PORT: '  ' }).http.port).toBe(8000);
  });

  it('applies overrides by dotted path after the environment', () => {
    const config = load({ PORT: '9000', TRUST_PROXY: 'true' }, { 'http.port': 1234 });
    expect(config.http).toEqual({ port: 1234, trustProxy: true });
  });

  it('leaves the base it was given untouched', () => {
    const base = { http: { port: 1 }, store: {} };
    loadConfig({ schema, envVars, env: { PORT: '2' }, base });
    expect(base).toEqual({ http: { port: 1 }, store: {} });
  });

  it('lists earlier, variable, check and schema problems at once, in that order', () => {
    const problems = problemsOf(() =>
      loadConfig({
        schema,
        envVars,
        env: { PORT: 'eighty', STORE_URL: 'mysql://db', STORE_HOSTS: 'ok,NOT' },
        base: emptySections(schema),
        problems: ['CONFIG_FILE: cannot read it'],
        check: (raw) => (valueAt(raw, 'http.trustProxy') === undefined ? ['proxy unset'] : []),
        overrides: { 'http.colour': 'red' },
      }),
    );
    expect(problems).toEqual([
      'CONFIG_FILE: cannot read it',
      "PORT: must be a whole number (got 'eighty')",
      'proxy unset',
      'http: Unrecognized key: "colour"',
      'STORE_URL (store.url): must be a postgres:// URL',
      'STORE_HOSTS (store.hosts.1): must be letters',
    ]);
  });

  it('names the path first when asked, and titles the error', () => {
    let caught: unknown;
    try {
      loadConfig({
        schema,
        envVars,
        env: { PORT: '70000' },
        base: emptySections(schema),
        issueLabel: 'path (variable)',
        errorTitle: 'Invalid test configuration',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).name).toBe('ConfigError');
    expect((caught as ConfigError).message).toBe(
      'Invalid test configuration:\n  - http.port (PORT): Too big: expected number to be <=65535',
    );
  });

  it('fails on earlier problems even when the values are valid', () => {
    expect(
      problemsOf(() =>
        loadConfig({ schema, envVars, env: {}, base: emptySections(schema), problems: ['boom'] }),
      ),
    ).toEqual(['boom']);
  });

  it('passes the validated config through finish before freezing it', () => {
    const config = loadConfig({
      schema,
      envVars,
      env: {},
      base: emptySections(schema),
      finish: (parsed) => ({
        ...parsed,
        store: { ...parsed.store, url: parsed.store.url ?? 'postgres://default' },
      }),
    });
    expect(config.store.url).toBe('postgres://default');
    expect(Object.isFrozen(config.store)).toBe(true);
  });
});

describe('describeIssues', () => {
  it('labels an issue outside any variable by its path, or (root)', () => {
    expect(
      describeIssues(
        [
          { code: 'custom', path: ['http', 'other'], message: 'bad', input: undefined },
          { code: 'custom', path: [], message: 'worse', input: undefined },
        ],
        envVars,
      ),
    ).toEqual(['http.other: bad', '(root): worse']);
  });
});

describe('sectionOverrides', () => {
  it('turns section objects into dotted paths', () => {
    expect(sectionOverrides({ http: { port: 1, trustProxy: true }, store: undefined })).toEqual({
      'http.port': 1,
      'http.trustProxy': true,
    });
  });

  it('replaces single settings, keeping the rest of the section', () => {
    const config = load({ TRUST_PROXY: 'true' }, sectionOverrides({ http: { port: 5 } }));
    expect(config.http).toEqual({ port: 5, trustProxy: true });
  });
});

describe('redactConfig', () => {
  it('replaces every value a sensitive variable sets and leaves the config untouched', () => {
    const config = load({ STORE_URL: 'postgres://u:secret@db/x', PORT: '9000' });
    const redacted = redactConfig(config, envVars);
    expect(redacted).toEqual({
      http: { port: 9000, trustProxy: false },
      store: { url: '[redacted]', hosts: [] },
    });
    expect(config.store.url).toBe('postgres://u:secret@db/x');
  });

  it('leaves absent sensitive values absent and reaches nested paths', () => {
    expect(redactConfig(load({}), envVars).store).not.toHaveProperty('url');
    const nested = { a: { b: { token: 't', keep: 'k' } } };
    const tokenVar = { ...envVars[3], path: 'a.b.token' } as EnvVarDefinition;
    expect(redactConfig(nested, [tokenVar])).toEqual({
      a: { b: { token: '[redacted]', keep: 'k' } },
    });
  });
});

describe('requiredInProduction', () => {
  const vars: readonly EnvVarDefinition[] = [
    ...envVars,
    {
      name: 'NODE_ENV',
      path: 'runtime.env',
      kind: 'string',
      description: 'd',
      defaultValue: 'development',
      sensitive: false,
    },
  ];
  const check = requiredInProduction(vars, 'STORE_URL');

  it('asks for the setting only in production', () => {
    expect(check({ runtime: { env: 'production' }, store: {} })).toEqual([
      'STORE_URL (store.url): is required when NODE_ENV=production',
    ]);
    expect(check({ runtime: { env: 'production' }, store: { url: 'postgres://x' } })).toEqual([]);
    expect(check({ runtime: { env: 'development' }, store: {} })).toEqual([]);
    expect(check({})).toEqual([]);
  });

  it('refuses variables without a config path', () => {
    expect(() => requiredInProduction(vars, 'CONFIG_FILE')).toThrow(
      'CONFIG_FILE is not a variable with a config path',
    );
  });
});

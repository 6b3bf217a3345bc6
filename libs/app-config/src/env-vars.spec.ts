import { type EnvVarDefinition, isBlankEnvValue, parseEnvValue } from './env-vars';

function variable(kind: EnvVarDefinition['kind']): EnvVarDefinition {
  return { name: 'X', path: 'a.b', kind, description: 'x', defaultValue: '', sensitive: false };
}

describe('parseEnvValue', () => {
  it('trims strings unless told to keep them verbatim', () => {
    expect(parseEnvValue(variable('string'), ' a b ')).toEqual({ value: 'a b' });
    expect(parseEnvValue(variable('string'), ' a b ', { trimValues: false })).toEqual({
      value: ' a b ',
    });
  });

  it('reads whole numbers by default and refuses signs and words', () => {
    expect(parseEnvValue(variable('integer'), ' 42 ')).toEqual({ value: 42 });
    expect(parseEnvValue(variable('integer'), '-5')).toEqual({
      problem: "X: must be a whole number (got '-5')",
    });
    expect(parseEnvValue(variable('integer'), '1.5')).toEqual({
      problem: "X: must be a whole number (got '1.5')",
    });
  });

  it('reads signed integers when asked', () => {
    const signed = { signedIntegers: true };
    expect(parseEnvValue(variable('integer'), '-5', signed)).toEqual({ value: -5 });
    expect(parseEnvValue(variable('integer'), 'eighty', signed)).toEqual({
      problem: "X: must be an integer (got 'eighty')",
    });
  });

  it.each([
    ['true', true],
    [' TRUE ', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['No', false],
  ])('reads boolean %j as %s', (text, expected) => {
    expect(parseEnvValue(variable('boolean'), text)).toEqual({ value: expected });
  });

  it('refuses yes/no when only true/false and 1/0 are accepted', () => {
    const strict = { yesNoBooleans: false };
    expect(parseEnvValue(variable('boolean'), 'TRUE', strict)).toEqual({ value: true });
    expect(parseEnvValue(variable('boolean'), 'yes', strict)).toEqual({
      problem: "X: must be true or false (got 'yes')",
    });
    expect(parseEnvValue(variable('boolean'), 'maybe')).toEqual({
      problem: "X: must be true or false (got 'maybe')",
    });
  });

  it('splits lists on commas and drops empty items', () => {
    expect(parseEnvValue(variable('list'), 'a:1, b ,,')).toEqual({ value: ['a:1', 'b'] });
  });
});

describe('isBlankEnvValue', () => {
  it('treats whitespace as unset only when values are trimmed', () => {
    expect(isBlankEnvValue('  ')).toBe(true);
    expect(isBlankEnvValue('  ', { trimValues: false })).toBe(false);
    expect(isBlankEnvValue('', { trimValues: false })).toBe(true);
    expect(isBlankEnvValue('x')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import {
  hasProblems,
  imageDeployBody,
  validateDeploymentForm,
  type DeploymentFormValues,
  type EnvVarRow,
} from './deploymentForm';

const valid: DeploymentFormValues = {
  name: 'my-api',
  image: 'registry.example.com/team/app:1.2',
  accessType: 'private',
  resourceProfileId: undefined,
  instances: 1,
  env: [],
};

const row = (key: number, name: string, value = 'x', secret = false): EnvVarRow => ({
  key,
  name,
  value,
  secret,
});

describe('validateDeploymentForm', () => {
  it('accepts a DNS-label name, an image and 1 to 100 instances', () => {
    expect(hasProblems(validateDeploymentForm(valid))).toBe(false);
    expect(hasProblems(validateDeploymentForm({ ...valid, name: 'a', instances: 100 }))).toBe(
      false,
    );
  });

  it.each([
    ['', 'Enter a name'],
    ['My-Api', 'Lowercase letters, digits and dashes'],
    ['1api', 'starting with a letter'],
    ['api-', 'not ending with a dash'],
    ['my_api', 'Lowercase letters, digits and dashes'],
    ['a'.repeat(55), 'At most 54 characters'],
  ])('refuses the name %j', (name, message) => {
    expect(validateDeploymentForm({ ...valid, name }).name).toContain(message);
  });

  it('refuses an empty image, or one with spaces', () => {
    expect(validateDeploymentForm({ ...valid, image: '  ' }).image).toContain('Enter an image');
    expect(validateDeploymentForm({ ...valid, image: 'nginx latest' }).image).toBe(
      'An image reference has no spaces',
    );
  });

  it.each([
    ['', 'Enter a number of instances'],
    [0, 'From 1 to 100'],
    [101, 'From 1 to 100'],
    [1.5, 'Enter a whole number'],
  ])('refuses %j instances', (instances, message) => {
    expect(validateDeploymentForm({ ...valid, instances }).instances).toBe(message);
  });

  it('names each bad env var row: a bad name, a missing name, a repeated name', () => {
    const errors = validateDeploymentForm({
      ...valid,
      env: [
        row(1, 'GOOD'),
        row(2, '1BAD'),
        row(3, 'WITH-DASH'),
        row(4, '', 'orphan value'),
        row(5, 'GOOD'),
        row(6, '', ''),
      ],
    });
    expect(errors.env).toEqual({
      2: { name: 'Letters, digits and _, not starting with a digit', value: undefined },
      3: { name: 'Letters, digits and _, not starting with a digit', value: undefined },
      4: { name: 'Enter a name for this value', value: undefined },
      5: { name: 'GOOD is set above already', value: undefined },
    });
  });
});

describe('imageDeployBody', () => {
  it('sends the trimmed image, the count, the profile and the filled env rows', () => {
    expect(
      imageDeployBody({
        ...valid,
        image: ' nginx:1.27 ',
        instances: 2,
        resourceProfileId: 'rp1',
        env: [row(1, ' LOG_LEVEL ', 'info'), row(2, '', ''), row(3, 'TOKEN', 's3cret', true)],
      }),
    ).toEqual({
      image: 'nginx:1.27',
      replicas: 2,
      resource_profile_id: 'rp1',
      env: [
        { name: 'LOG_LEVEL', value: 'info', secret: false },
        { name: 'TOKEN', value: 's3cret', secret: true },
      ],
    });
  });

  it('leaves out the profile and env when there are none', () => {
    expect(imageDeployBody(valid)).toEqual({ image: valid.image, replicas: 1 });
  });
});

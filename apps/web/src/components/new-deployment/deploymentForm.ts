import type { AccessType, EnvVarInput, ImageDeployInput } from '../../api/types';

export interface EnvVarRow {
  /** Stable React key: rows are added and removed in the middle. */
  key: number;
  name: string;
  value: string;
  secret: boolean;
}

export interface DeploymentFormValues {
  name: string;
  image: string;
  accessType: AccessType;
  /** undefined: the platform's default size. */
  resourceProfileId: string | undefined;
  /** As the number field holds it: '' while empty. */
  instances: number | string;
  env: EnvVarRow[];
}

export const EMPTY_DEPLOYMENT_FORM: DeploymentFormValues = {
  name: '',
  image: '',
  accessType: 'private',
  resourceProfileId: undefined,
  instances: 1,
  env: [],
};

export interface DeploymentFormErrors {
  name?: string;
  image?: string;
  instances?: string;
  /** By row key. */
  env: Record<number, { name?: string; value?: string }>;
}

// The API's own rules (apps/api: service.dto.ts SERVICE_NAME, deploy.dto.ts ENV_NAME and
// its length limits), checked here so a mistake is named beside its field before any request.
const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,52}[a-z0-9])?$/;
const SERVICE_NAME_MAX = 54;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENV_NAME_MAX = 255;
const ENV_VALUE_MAX = 32_768;
const IMAGE_MAX = 512;
export const MOST_INSTANCES = 100;

/** A row with neither name nor value is left out rather than refused. */
const isBlank = (row: EnvVarRow) => row.name.trim() === '' && row.value === '';

function nameProblem(name: string): string | undefined {
  if (name === '') return 'Enter a name';
  if (name.length > SERVICE_NAME_MAX) return `At most ${SERVICE_NAME_MAX} characters`;
  if (!SERVICE_NAME.test(name)) {
    return 'Lowercase letters, digits and dashes, starting with a letter and not ending with a dash';
  }
  return undefined;
}

function imageProblem(image: string): string | undefined {
  if (image.trim() === '') return 'Enter an image, such as registry.example.com/team/app:1.2';
  if (/\s/.test(image.trim())) return 'An image reference has no spaces';
  if (image.trim().length > IMAGE_MAX) return `At most ${IMAGE_MAX} characters`;
  return undefined;
}

function instancesProblem(instances: number | string): string | undefined {
  if (instances === '') return 'Enter a number of instances';
  const count = Number(instances);
  if (!Number.isInteger(count)) return 'Enter a whole number';
  if (count < 1 || count > MOST_INSTANCES) return `From 1 to ${MOST_INSTANCES}`;
  return undefined;
}

function envProblems(env: EnvVarRow[]): DeploymentFormErrors['env'] {
  const problems: DeploymentFormErrors['env'] = {};
  const seen = new Set<string>();
  for (const row of env) {
    if (isBlank(row)) continue;
    const name = row.name.trim();
    let nameError: string | undefined;
    if (name === '') nameError = 'Enter a name for this value';
    else if (name.length > ENV_NAME_MAX) nameError = `At most ${ENV_NAME_MAX} characters`;
    else if (!ENV_NAME.test(name)) nameError = 'Letters, digits and _, not starting with a digit';
    else if (seen.has(name)) nameError = `${name} is set above already`;
    seen.add(name);
    const valueError =
      row.value.length > ENV_VALUE_MAX ? `At most ${ENV_VALUE_MAX} characters` : undefined;
    if (nameError || valueError) problems[row.key] = { name: nameError, value: valueError };
  }
  return problems;
}

export function validateDeploymentForm(values: DeploymentFormValues): DeploymentFormErrors {
  return {
    name: nameProblem(values.name),
    image: imageProblem(values.image),
    instances: instancesProblem(values.instances),
    env: envProblems(values.env),
  };
}

export const hasProblems = (errors: DeploymentFormErrors): boolean =>
  errors.name !== undefined ||
  errors.image !== undefined ||
  errors.instances !== undefined ||
  Object.keys(errors.env).length > 0;

/** The deploy request for valid values. */
export function imageDeployBody(values: DeploymentFormValues): ImageDeployInput {
  const env: EnvVarInput[] = values.env
    .filter((row) => !isBlank(row))
    .map(({ name, value, secret }) => ({ name: name.trim(), value, secret }));
  return {
    image: values.image.trim(),
    replicas: Number(values.instances),
    ...(values.resourceProfileId !== undefined && {
      resource_profile_id: values.resourceProfileId,
    }),
    ...(env.length > 0 && { env }),
  };
}

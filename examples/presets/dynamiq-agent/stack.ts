/**
 * The Dynamiq agent preset as code: a project, the private service built from this directory,
 * and a project Access Key for its callers. Run from this directory:
 *
 *   export TF_VAR_openai_api_key="$OPENAI_API_KEY"   # a secret env var, never written to the JSON
 *   slipway iac plan                                 # exit 0: nothing to do, 2: changes
 *   slipway iac apply
 */
import { App, TerraformStack, TerraformVariable } from 'cdktn';
import { AccessKey, Project, Service, SlipwayProvider } from '@slipway/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'dynamiq-agent');

// API URL and token come from `slipway config` (or TF_VAR_slipway_token).
new SlipwayProvider(stack, 'slipway');

const openaiApiKey = new TerraformVariable(stack, 'openai_api_key', {
  type: 'string',
  sensitive: true,
  description: 'The OpenAI API key the agent calls the model with',
});
const model = new TerraformVariable(stack, 'openai_model', {
  type: 'string',
  default: 'gpt-4.1-mini',
  description: 'The OpenAI chat model the agent uses',
});

const project = new Project(stack, 'project', {
  name: 'dynamiq-agent',
  description: 'A Dynamiq agent behind POST /run',
});

new Service(stack, 'agent', {
  project,
  name: 'dynamiq-agent',
  description: 'Dynamiq agent behind POST /run',
  accessType: 'private', // callers send an Access Key
  source: { directory: '.' }, // this directory: Dockerfile, requirements, app/
  env: { OPENAI_MODEL: model.stringValue, RUN_TIMEOUT_SECONDS: '55' },
  secretEnv: { OPENAI_API_KEY: openaiApiKey.stringValue },
  resourceProfile: 'small', // 0.5 vCPU, 1 GiB: the work is waiting on the model's API
  instances: 1,
  port: 8080,
  healthCheckPath: '/health',
  tags: ['agent', 'dynamiq'],
});

new AccessKey(stack, 'callers', {
  name: 'dynamiq-agent-callers',
  scope: 'project',
  project,
});

app.synth();

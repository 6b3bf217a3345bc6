/**
 * The Unstructured API on Slipway, as code: a project, the unstructured-api image wrapped for
 * the container contract (./Dockerfile, built by Slipway), and an Access Key for its callers.
 *
 *   slipway iac plan    # exit 0: nothing to do, 2: changes
 *   slipway iac apply   # builds ./Dockerfile, rolls it out, prints the Access Key once
 */
import { App, TerraformStack } from 'cdktn';
import { AccessKey, Project, Service, SlipwayProvider } from '@slipway/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'unstructured');

// API URL and token come from `slipway config` (or TF_VAR_slipway_token).
new SlipwayProvider(stack, 'slipway');

const project = new Project(stack, 'project', {
  name: 'unstructured',
  description: 'Document partitioning with the Unstructured API',
});

new Service(stack, 'unstructured', {
  project,
  name: 'unstructured',
  description: 'Unstructured API 0.1.2: POST /general/v0/general',
  accessType: 'private', // callers send an Access Key as a Bearer token
  source: { directory: '.' }, // this directory: Dockerfile + slipway-start.sh
  // 4 vCPU, 8 GiB: hi_res layout and table models, LibreOffice and rendered PDF pages.
  resourceProfile: 'xlarge',
  instances: 1,
  port: 8080, // app-start.sh listens on $PORT, which Slipway sets to this
  healthCheckPath: '/healthcheck',
  tags: ['documents', 'unstructured'],
});

new AccessKey(stack, 'callers', {
  name: 'unstructured-callers',
  scope: 'project',
  project,
});

app.synth();

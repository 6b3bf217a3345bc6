/**
 * A shop on Slipway, as code: a project, a public API from an image, a private web app
 * built from ./web, and an Access Key for the web app's callers.
 *
 *   export TF_VAR_session_secret=…   # a secret env var, never written to the JSON
 *   slipway iac plan                 # exit 0: nothing to do, 2: changes
 *   slipway iac apply
 */
import { App, TerraformStack, TerraformVariable } from 'cdktn';
import { AccessKey, Project, Service, SlipwayProvider } from '@slipway/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'shop');

// API URL and token come from `slipway config` (or TF_VAR_slipway_token).
new SlipwayProvider(stack, 'slipway');

const sessionSecret = new TerraformVariable(stack, 'session_secret', {
  type: 'string',
  sensitive: true,
  description: 'Signs the web app’s sessions',
});
const apiImage = new TerraformVariable(stack, 'api_image', {
  type: 'string',
  default: 'busybox:1.36',
  description: 'The image the API runs',
});

const shop = new Project(stack, 'shop', { name: 'shop', description: 'The shop, as code' });

new Service(stack, 'catalog', {
  project: shop,
  name: 'catalog',
  description: 'Serves the catalogue',
  accessType: 'public',
  image: apiImage.stringValue,
  command: [
    'sh',
    '-c',
    'mkdir -p /tmp/www && echo catalog > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www',
  ],
  env: { LOG_LEVEL: 'info' },
  resourceProfile: 'nano',
  instances: 2,
  labels: { team: 'shop' },
});

new Service(stack, 'storefront', {
  project: shop,
  name: 'storefront',
  source: { directory: 'web' },
  secretEnv: { SESSION_SECRET: sessionSecret.stringValue },
  resourceProfile: 'small',
  healthCheckPath: '/index.html',
});

new AccessKey(stack, 'storefront_callers', {
  name: 'storefront-callers',
  scope: 'project',
  project: shop,
});

app.synth();

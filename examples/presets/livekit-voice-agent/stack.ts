/**
 * The LiveKit voice agent preset as code: a project, the private worker built from this
 * directory, and a project Access Key (for its health endpoint). Run from this directory:
 *
 *   export TF_VAR_livekit_url=wss://my-project.livekit.cloud
 *   export TF_VAR_livekit_api_key="$LIVEKIT_API_KEY"         # secrets: never written to the JSON
 *   export TF_VAR_livekit_api_secret="$LIVEKIT_API_SECRET"
 *   export TF_VAR_openai_api_key="$OPENAI_API_KEY"
 *   slipway iac plan                                          # exit 0: nothing to do, 2: changes
 *   slipway iac apply
 */
import { App, TerraformStack, TerraformVariable } from 'cdktn';
import { AccessKey, Project, Service, SlipwayProvider } from '@slipway/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'livekit-voice-agent');

// API URL and token come from `slipway config` (or TF_VAR_slipway_token).
new SlipwayProvider(stack, 'slipway');

const livekitUrl = new TerraformVariable(stack, 'livekit_url', {
  type: 'string',
  description: 'The LiveKit server the worker registers with (wss://…)',
});
const secret = (name: string, description: string): string =>
  new TerraformVariable(stack, name, { type: 'string', sensitive: true, description }).stringValue;

const project = new Project(stack, 'project', {
  name: 'livekit-voice-agent',
  description: 'A LiveKit Agents voice worker',
});

new Service(stack, 'worker', {
  project,
  name: 'livekit-voice-agent',
  description: 'LiveKit Agents voice worker (OpenAI STT, LLM and TTS; Silero VAD)',
  accessType: 'private', // nothing calls it but its readiness probe
  source: { directory: '.' }, // this directory: Dockerfile, requirements, app/
  env: { LIVEKIT_URL: livekitUrl.stringValue, DRAIN_TIMEOUT_SECONDS: '50' },
  secretEnv: {
    LIVEKIT_API_KEY: secret('livekit_api_key', 'LiveKit API key'),
    LIVEKIT_API_SECRET: secret('livekit_api_secret', 'LiveKit API secret'),
    OPENAI_API_KEY: secret('openai_api_key', 'OpenAI API key for STT, LLM and TTS'),
  },
  resourceProfile: 'medium', // 1 vCPU, 2 GiB: one process per call, VAD on the CPU
  instances: 1,
  port: 8080,
  healthCheckPath: '/health', // 200 once registered with LiveKit
  tags: ['voice', 'livekit'],
});

new AccessKey(stack, 'callers', {
  name: 'livekit-voice-agent-callers',
  scope: 'project',
  project,
});

app.synth();

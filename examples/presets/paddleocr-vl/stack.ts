/**
 * PaddleOCR-VL on Slipway, as code: a project, the OCR service built from ./Dockerfile on
 * one NVIDIA L4 (the built-in gpu-l4 profile), and an Access Key for its callers.
 *
 *   slipway iac plan    # exit 0: nothing to do, 2: changes
 *   slipway iac apply   # builds ./Dockerfile, rolls it out, prints the Access Key once
 */
import { App, TerraformStack } from 'cdktn';
import { AccessKey, Project, Service, SlipwayProvider } from '@slipway/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'paddleocr-vl');

// API URL and token come from `slipway config` (or TF_VAR_slipway_token).
new SlipwayProvider(stack, 'slipway');

const project = new Project(stack, 'project', {
  name: 'paddleocr-vl',
  description: 'Document OCR with PaddleOCR-VL on a GPU',
});

new Service(stack, 'paddleocr_vl', {
  project,
  name: 'paddleocr-vl',
  description: 'PaddleOCR-VL-1.5: POST /ocr with an image or a PDF, answers Markdown and JSON',
  accessType: 'private', // callers send an Access Key as a Bearer token
  source: { directory: '.' }, // this directory: Dockerfile, requirements.txt, app/
  // 4 vCPU, 16 GiB and one NVIDIA L4 (24 GB): the 0.9B model and the layout model in GPU
  // memory, PDF pages rendered in host memory. For an A100, declare or name its profile.
  resourceProfile: 'gpu-l4',
  instances: 1,
  port: 8080,
  // 503 until the model has loaded, then 200: instances get traffic only once it is ready.
  healthCheckPath: '/health',
  env: {
    MAX_UPLOAD_MB: '20',
    MAX_PDF_PAGES: '10',
    MAX_QUEUED_REQUESTS: '4',
  },
  tags: ['ocr', 'gpu'],
});

new AccessKey(stack, 'callers', {
  name: 'paddleocr-vl-callers',
  scope: 'project',
  project,
});

app.synth();

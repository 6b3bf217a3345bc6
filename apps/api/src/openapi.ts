import { type INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export const OPENAPI_JSON_PATH = 'v1/openapi.json';
export const DOCS_PATH = 'v1/docs';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Slipway API')
    .setDescription(
      'Run any container and get a hostname. Authenticate with a Personal Access Token: `Authorization: Bearer slp_pat_…`. ' +
        'Successful answers are `{"data": …}` (lists add `pagination`); failures are `{"error": {code, message, request_id}}`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'Personal Access Token (slp_pat_…)',
    })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the document at /v1/openapi.json and a browsable page at /v1/docs. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    yamlDocumentUrl: 'v1/openapi.yaml',
    customSiteTitle: 'Slipway API',
  });
}

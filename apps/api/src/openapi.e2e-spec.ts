import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import { startTestApp, type TestApp } from '../test/support/test-app';

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses?: Record<string, unknown>; security?: unknown[] }>
  >;
}

/** Every route the controllers declare, as `METHOD /path` with `{param}` placeholders. */
function declaredRoutes(t: TestApp): string[] {
  const discovery = new DiscoveryService(t.app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: string[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance || !wrapper.metatype) continue;
    const base = (Reflect.getMetadata(PATH_METADATA, wrapper.metatype) as string | undefined) ?? '';
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const methodName of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[methodName] as object;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) continue;
      const full = `/${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(
        /:(\w+)/g,
        '{$1}',
      );
      routes.push(`${RequestMethod[method]} ${full}`);
    }
  }
  return routes.sort();
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/v1/openapi.json').expect(200)).body as OpenApiDocument;
  });
  afterAll(async () => {
    await t.close();
  });

  it('is an OpenAPI 3 document served without credentials', () => {
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('describes every route the API serves, with its success and error answers', () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
      )
      .sort();
    const declared = declaredRoutes(t);
    expect(declared.length).toBeGreaterThan(20);
    expect(documented).toEqual(declared);
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const codes = Object.keys(operation.responses ?? {});
        // 200, or 202 for work accepted to run in the background (scale, restart).
        expect([path, method, codes.some((code) => code === '200' || code === '202')]).toEqual([
          path,
          method,
          true,
        ]);
        if (path.startsWith('/v1/')) {
          expect([path, method, Object.keys(operation.responses ?? {})]).toEqual([
            path,
            method,
            expect.arrayContaining(['400', '401', '404']),
          ]);
        }
      }
    }
  });

  it('serves a browsable docs page beside it', async () => {
    const res = await t.http.get('/v1/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger');
  });
});

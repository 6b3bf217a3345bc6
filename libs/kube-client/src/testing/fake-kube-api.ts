/**
 * A stand-in for the Kubernetes API server, for contract tests (there is no cluster here).
 * It records every request and keeps objects in memory: discovery, server-side apply,
 * merge patch, create, get, list by label or field selector, and delete; tests add handlers to script
 * anything else (status changes, errors, log streams). Both the API's runtime and the
 * builder's Kaniko driver test against it.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { MERGE_PATCH_CONTENT_TYPE } from '../kube-apis';
import { FieldOwnership } from './field-ownership';
import { refusal, statusReply } from './admission';
import { RESOURCES, groupVersionPath, resourceFor, storageKey, type Resource } from './resources';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly body: string;
}

export type Reply =
  | { readonly status: number; readonly body?: unknown }
  | { readonly stream: (response: ServerResponse) => void };

/** Answers a request before the default behaviour; `undefined` falls through. */
export type Handler = (request: RecordedRequest) => Reply | undefined;

export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
};

const PATH =
  /^\/(api\/v1|apis\/[^/]+\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  private readonly objects = new Map<string, KubeObject>();
  private readonly ownership = new FieldOwnership();
  private readonly handlers: Handler[] = [];
  private readonly server: Server = createServer((req, res) => this.serve(req, res));
  private port = 0;

  /** A stand-in already listening, for a `beforeEach`. */
  static async started(): Promise<FakeKubeApi> {
    const api = new FakeKubeApi();
    await api.start();
    return api;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  kubeConfig(): KubeConfig {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromOptions({
      clusters: [{ name: 'stand-in', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'test', token: 'test' }],
      contexts: [{ name: 'stand-in', cluster: 'stand-in', user: 'test' }],
      currentContext: 'stand-in',
    });
    return kubeConfig;
  }

  /** Later handlers win. */
  on(handler: Handler): void {
    this.handlers.unshift(handler);
  }

  /** Stores `object` as if a controller or the API server had written it. */
  put(object: KubeObject): KubeObject {
    const stored = withServerFields(object, this.objects.get(this.key(object)));
    this.objects.set(this.key(object), stored);
    return stored;
  }

  get(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.objects.get(this.key({ apiVersion, kind, metadata: { name, namespace } }));
  }

  /** Removes a stored object as if a controller had deleted it; false when it was not there. */
  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const key = this.key({ apiVersion, kind, metadata: { name, namespace } });
    this.ownership.forget(key);
    return this.objects.delete(key);
  }

  all(kind: string): KubeObject[] {
    return [...this.objects.values()].filter((object) => object.kind === kind);
  }

  /** Requests with method and path, e.g. `PATCH /api/v1/namespaces/x`. */
  calls(filter?: (request: RecordedRequest) => boolean): string[] {
    return this.requests.filter(filter ?? (() => true)).map((r) => `${r.method} ${r.path}`);
  }

  private key(
    object: Pick<KubeObject, 'apiVersion' | 'kind'> & {
      metadata: { name: string; namespace?: string };
    },
  ): string {
    const resource = resourceFor(object.apiVersion, object.kind);
    return storageKey(resource, object.metadata.namespace, object.metadata.name);
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.url);
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(request);
      let reply: Reply;
      try {
        reply =
          this.handlers.map((handler) => handler(request)).find((r) => r !== undefined) ??
          this.answer(request);
      } catch (error) {
        reply = statusReply(
          500,
          'InternalError',
          error instanceof Error ? error.message : String(error),
        );
      }
      if ('stream' in reply) return reply.stream(res);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  }

  private answer(request: RecordedRequest): Reply {
    const discovery = RESOURCES.filter((r) => request.path === groupVersionPath(r.groupVersion));
    if (discovery.length > 0 && request.method === 'GET') {
      const groupVersion = discovery[0]?.groupVersion ?? '';
      const resources = discovery.map((r) => ({
        name: r.plural,
        namespaced: r.namespaced,
        kind: r.kind,
        singularName: '',
        verbs: ['get', 'list', 'patch', 'delete', 'create'],
      }));
      return {
        status: 200,
        body: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources },
      };
    }
    const match = PATH.exec(request.path);
    const groupVersion = match?.[1]?.replace(/^apis?\//, '');
    const resource = RESOURCES.find(
      (r) => r.groupVersion === groupVersion && r.plural === match?.[3],
    );
    if (match === null || resource === undefined || match[5] !== undefined) {
      return statusReply(
        404,
        'NotFound',
        `the server could not find the requested resource (${request.method} ${request.path})`,
      );
    }
    const [namespace, name] = [match[2], match[4]];
    const key = storageKey(resource, namespace, name ?? '');
    const found = this.objects.get(key);
    const notFound = statusReply(404, 'NotFound', `${resource.plural} "${name ?? ''}" not found`);
    switch (request.method) {
      case 'GET':
        if (name === undefined)
          return { status: 200, body: this.list(resource, namespace, request.query) };
        return found === undefined ? notFound : { status: 200, body: found };
      case 'PATCH': {
        const manager = request.query.get('fieldManager') ?? 'unknown';
        if (request.contentType?.startsWith(MERGE_PATCH_CONTENT_TYPE) === true) {
          if (found === undefined) return notFound;
          const patch = JSON.parse(request.body) as Record<string, unknown>;
          const merged = mergePatched(found, patch);
          const refused = refusal(merged, resource, namespace, name, found);
          if (refused !== undefined) return refused;
          this.ownership.update(key, manager, patch);
          return { status: 200, body: this.put(merged) };
        }
        const body = JSON.parse(request.body) as KubeObject;
        const applied = this.ownership.apply(
          key,
          manager,
          found,
          body,
          request.query.get('force') === 'true',
        );
        if ('conflicts' in applied) {
          return statusReply(
            409,
            'Conflict',
            `Apply failed with ${applied.conflicts.length} conflict(s): ${applied.conflicts.join('; ')}`,
          );
        }
        const object = applied.object as KubeObject;
        const refused = refusal(object, resource, namespace, name, found);
        if (refused !== undefined) return refused;
        applied.commit();
        return { status: found === undefined ? 201 : 200, body: this.put(object) };
      }
      case 'POST': {
        const object = JSON.parse(request.body) as KubeObject;
        const refused = refusal(object, resource, namespace, undefined);
        if (refused !== undefined) return refused;
        if (this.objects.has(this.key(object))) {
          return statusReply(
            409,
            'AlreadyExists',
            `${resource.plural} "${object.metadata.name}" already exists`,
          );
        }
        return { status: 201, body: this.put(object) };
      }
      case 'DELETE':
        if (found === undefined) return notFound;
        this.objects.delete(key);
        this.ownership.forget(key);
        return {
          status: 200,
          body: { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 200 },
        };
      default:
        return statusReply(405, 'MethodNotAllowed', `${request.method} is not supported here`);
    }
  }

  private list(resource: Resource, namespace: string | undefined, query: URLSearchParams): unknown {
    const items = [...this.objects.values()]
      .filter((o) => o.apiVersion === resource.groupVersion && o.kind === resource.kind)
      .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
      .filter((o) => matchesLabels(o, query.get('labelSelector')))
      .filter((o) => matchesFields(o, query.get('fieldSelector')))
      // A real list carries its kind once, not on every item.
      .map(({ apiVersion: _apiVersion, kind: _kind, ...rest }) => rest);
    return {
      apiVersion: resource.groupVersion,
      kind: `${resource.kind}List`,
      metadata: { resourceVersion: '1' },
      items,
    };
  }
}

function pairs(selector: string | null): [string, string][] {
  if (selector === null || selector === '') return [];
  return selector.split(',').map((term) => {
    const [key = '', value = ''] = term.split('=');
    return [key, value];
  });
}

function matchesLabels(object: KubeObject, selector: string | null): boolean {
  const labels = (object.metadata.labels ?? {}) as Record<string, string>;
  return pairs(selector).every(([key, value]) => labels[key] === value);
}

function matchesFields(object: KubeObject, selector: string | null): boolean {
  return pairs(selector).every(([path, value]) => {
    let current: unknown = object;
    for (const part of path.split('.'))
      current = (current as Record<string, unknown> | undefined)?.[part];
    return current === value;
  });
}

/** RFC 7386: objects merge key by key, `null` removes a key, anything else replaces. */
function mergeJson(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const merged: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeJson(merged[key], value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The patched object, its generation left for `put` to bump when the spec changed. */
function mergePatched(stored: KubeObject, patch: Record<string, unknown>): KubeObject {
  const merged = mergeJson(stored, patch) as KubeObject;
  const { generation: _generation, ...metadata } = merged.metadata;
  return { ...merged, metadata: { ...metadata, name: stored.metadata.name } };
}

/** uid, resourceVersion, generation (bumped on spec changes) and creationTimestamp. */
function withServerFields(object: KubeObject, previous: KubeObject | undefined): KubeObject {
  const before = previous?.metadata;
  const specChanged = JSON.stringify(previous?.spec) !== JSON.stringify(object.spec);
  const generation =
    Number(before?.generation ?? 0) + (previous === undefined || specChanged ? 1 : 0);
  return {
    ...previous,
    ...object,
    status: object.status ?? previous?.status,
    metadata: {
      ...object.metadata,
      uid: before?.uid ?? object.metadata.uid ?? randomUUID(),
      resourceVersion: String(Number(before?.resourceVersion ?? 0) + 1),
      generation: object.metadata.generation ?? generation,
      creationTimestamp:
        before?.creationTimestamp ?? object.metadata.creationTimestamp ?? new Date().toISOString(),
    },
  };
}

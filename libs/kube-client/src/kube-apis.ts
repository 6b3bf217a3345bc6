/**
 * The clients Slipway talks to Kubernetes through: typed reads (core, apps, batch) and a
 * generic object client for server-side apply, list and delete. Every request carries a
 * timeout, so a hung API server fails a call instead of stalling a rollout or a build.
 */
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  HttpMethod,
  KubernetesObjectApi,
  ServerConfiguration,
  createConfiguration,
  type KubeConfig,
  type KubernetesObject,
} from '@kubernetes/client-node';

export const APPLY_CONTENT_TYPE = 'application/apply-patch+yaml';
/** JSON merge patch (RFC 7386): the fields given replace the stored ones, `null` removes one. */
export const MERGE_PATCH_CONTENT_TYPE = 'application/merge-patch+json';

/** A plain object as @slipway/k8s-spec renders it (typed by kubernetes-models). */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
}

/**
 * KubernetesObjectApi.patch() re-serializes objects through client-node's typed models,
 * which silently drops fields whose model name differs from the wire name (a
 * NetworkPolicy rule's `from` is lost, opening the policy). So the rendered object is sent
 * byte for byte, reusing the client's discovery, auth and error handling.
 */
export class ObjectClient extends KubernetesObjectApi {
  async apply(object: RenderedObject, fieldManager: string): Promise<KubernetesObject> {
    // specUriPath fills in defaults on the object it is given; keep the caller's intact.
    const header: KubernetesObject = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata?.name, namespace: object.metadata?.namespace },
    };
    const path = await this.specUriPath(header, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', APPLY_CONTENT_TYPE);
    request.setQueryParam('fieldManager', fieldManager);
    // Slipway owns these objects: take over fields another manager (kubectl edit) set.
    request.setQueryParam('force', 'true');
    // JSON is YAML, and the apply content type accepts either.
    request.setBody(JSON.stringify(object));
    return this.requestPromise(request);
  }

  /**
   * Changes only the fields in `patch` of the object `header` names (a replica count, one
   * annotation), leaving what server-side apply set alone. `T` is the kind's client-node type.
   */
  async mergePatch<T extends KubernetesObject>(
    header: KubernetesObject,
    patch: object,
    fieldManager: string,
  ): Promise<T> {
    const path = await this.specUriPath(header, 'patch');
    const request = this.configuration.baseServer.makeRequestContext(path, HttpMethod.PATCH);
    request.setHeaderParam('Accept', 'application/json');
    request.setHeaderParam('Content-Type', MERGE_PATCH_CONTENT_TYPE);
    request.setQueryParam('fieldManager', fieldManager);
    request.setBody(JSON.stringify(patch));
    return this.requestPromise<T>(request);
  }
}

export interface KubeClientOptions {
  /** Who is calling, as error messages name it: "the runtime's credentials". */
  readonly caller: string;
  /** Bound on every request made through these clients. */
  readonly requestTimeoutMs: number;
}

export interface KubeApis {
  readonly objects: ObjectClient;
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly batch: BatchV1Api;
  /** What the clients were made with; error messages quote it (kubernetesApiError). */
  readonly options: KubeClientOptions;
}

export function createKubeApis(kubeConfig: KubeConfig, options: KubeClientOptions): KubeApis {
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) throw new Error('the kubeconfig has no current cluster');
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kubeConfig },
    promiseMiddleware: [
      {
        pre: (context) => {
          context.setSignal(AbortSignal.timeout(options.requestTimeoutMs));
          return Promise.resolve(context);
        },
        post: (response) => Promise.resolve(response),
      },
    ],
  });
  return {
    objects: new ObjectClient(configuration),
    core: new CoreV1Api(configuration),
    apps: new AppsV1Api(configuration),
    batch: new BatchV1Api(configuration),
    options,
  };
}

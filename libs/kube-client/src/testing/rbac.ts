/**
 * What RBAC would check for a request: `group resource[/subresource] verb`, so contract
 * specs can compare what a client called with what its role grants.
 */
import type { RecordedRequest } from './fake-kube-api';

const PATH =
  /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/;

/** The permission a request needs; undefined for discovery, open to every caller. */
export function permissionOf(request: RecordedRequest): string | undefined {
  const segments = request.path.split('/').length;
  if (request.path === '/api/v1' || (request.path.startsWith('/apis/') && segments <= 4)) {
    return undefined;
  }
  const match = PATH.exec(request.path);
  if (match === null) return `unparsed ${request.method} ${request.path}`;
  const [, group = '', , resource = '', name, subresource] = match;
  const listing = request.query.get('watch') === 'true' ? 'watch' : 'list';
  const verbs: Record<string, string> = {
    GET: name === undefined ? listing : 'get',
    PATCH: 'patch',
    POST: 'create',
    PUT: 'update',
    DELETE: 'delete',
  };
  const target = subresource === undefined ? resource : `${resource}/${subresource}`;
  return `${group} ${target} ${verbs[request.method] ?? request.method}`;
}

/** The permissions a table of rules grants, in `permissionOf`'s terms. */
export function grantedBy(
  rules: readonly { apiGroup: string; resource: string; verbs: readonly string[] }[],
): Set<string> {
  return new Set(
    rules.flatMap(({ apiGroup, resource, verbs }) =>
      verbs.map((verb) => `${apiGroup} ${resource} ${verb}`),
    ),
  );
}

import { EDGE_SESSION_COOKIE, EDGE_TOKEN_QUERY_PARAM } from '@slipway/contracts';
import { type EdgeError, edgeErrors } from '../http/edge-error';
import { errorBody } from '../http/responses';
import { ACCESS_LOG_FORMAT } from './access-log-format';
import { captureDeclarations, requestHeader, responseHeader } from './captures';
import { type MapPaths, MAP_FIELD_SEPARATOR, ENDPOINT_KEY_SEPARATOR } from './maps';

/** Environment variables the HAProxy process reads its derived keys from (never the file). */
export const HAPROXY_KEY_ENV = {
  credential: 'SLIPWAY_EDGE_CREDENTIAL_HMAC_KEY',
  edgeToken: 'SLIPWAY_EDGE_TOKEN_HMAC_KEY',
} as const;

/** The header HAProxy names the service in for the agent (it drops any a client sent). */
export const SERVICE_HEADER = 'x-slipway-service';

/** The frontend every service hostname is served by. */
export const FRONTEND = 'edge';

/** The stick table admitted requests are tracked in by service id (the agent reads it). */
export const ACTIVITY_TABLE = 'activity';
/** How long a service's entry outlives its last request: its activity is reported that long. */
export const ACTIVITY_TABLE_EXPIRE_MS = 30 * 60_000;

/** What the template needs; every value is validated config, so the renderer trusts it. */
export interface HaproxySettings {
  readonly bind: { readonly host: string; readonly port: number };
  readonly maps: MapPaths;
  /**
   * Unix sockets: the Runtime API, the access-log stream to the agent, the signed-URL
   * exchange, and the agent's holding server for sleeping services.
   */
  readonly sockets: {
    readonly admin: string;
    readonly accessLog: string;
    readonly exchange: string;
    readonly wake: string;
  };
  readonly luaFile: string;
  readonly errorFileDir: string;
  readonly threads: number;
  /** 0: derived by HAProxy from its file-descriptor limit. */
  readonly maxConnections: number;
  readonly trustProxy: boolean;
  readonly maxBodyBytes: number;
  readonly maxHeaderBytes: number;
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly websocketIdleTimeoutMs: number;
  /** Longest the agent holds a sleeping service's request. */
  readonly wakeTimeoutMs: number;
  readonly drainTimeoutMs: number;
  /** Bytes of access-log lines HAProxy holds while the agent is not reading (restart). */
  readonly accessLogRingBytes: number;
}

const MAX_REWRITE = 1024;
/** A `Connection` value naming more than close, keep-alive or upgrade: fields to strip. */
const NAMES_OTHER_FIELDS = '^(?!(close|keep-alive|upgrade)$)';
/** The agent answers a held request it gave up on before HAProxy's own timeout would. */
const WAKE_TIMEOUT_MARGIN_MS = 5000;
const DEFAULT_BUFFER = 16 * 1024;
/** States in which a service has no instance to answer with (the `unavailable` backend says why). */
const UNAVAILABLE_STATES = ['deleted', 'not_deployed', 'paused'] as const;
/**
 * Admitted requests are counted per service (tunnels too) in the backends that serve them,
 * so no other path evaluates the rule; the agent reports the counts.
 */
const ADMITTED = `  http-request track-sc0 var(txn.svc) table ${ACTIVITY_TABLE}`;

/** The buffer size: room for the largest allowed head twice (431 is answered by a rule below it). */
export function bufferSizeFor(maxHeaderBytes: number): number {
  return Math.max(DEFAULT_BUFFER, 2 * maxHeaderBytes + MAX_REWRITE);
}

/**
 * `haproxy.cfg` for the edge: one template, rendered by this pure function and checked with
 * `haproxy -c` in tests. HAProxy answers every request itself: it routes by Host through
 * maps the agent keeps current over the Runtime API, checks Access Keys (keyed hash looked
 * up in a map) and signed-URL cookies (HMAC verified in place), picks a ready endpoint, and
 * proxies with keep-alive. Only a signed URL's first visit (the exchange) and a sleeping
 * service's requests (held while it wakes) go to the agent.
 */
export function renderHaproxyConfig(s: HaproxySettings): string {
  const sep = MAP_FIELD_SEPARATOR;
  const limit = s.maxBodyBytes;
  const bufsize = bufferSizeFor(s.maxHeaderBytes);
  // A chunked body can be held to the limit only while it fits in a buffer.
  const waitForChunkedBody = limit + 1 <= bufsize - MAX_REWRITE;
  return `# Rendered by the Slipway edge agent; edits are overwritten at its next start.
global
  nbthread ${s.threads}
${
  s.maxConnections > 0
    ? `  maxconn ${s.maxConnections}
`
    : ''
}  stats socket ${s.sockets.admin} mode 600 level admin
  stats timeout 30s
  hard-stop-after ${s.drainTimeoutMs}ms
  tune.bufsize ${bufsize}
  tune.maxrewrite ${MAX_REWRITE}
  log ring@access local0 info
  lua-load ${s.luaFile}
  # Keys derived for these two checks only, from the environment: never on disk.
  set-var proc.credential_key str("\${${HAPROXY_KEY_ENV.credential}}")
  set-var proc.edge_token_key str("\${${HAPROXY_KEY_ENV.edgeToken}}")

# Access-log lines wait here while the agent restarts; it reads them as a syslog stream.
ring access
  format raw
  maxlen 16384
  size ${s.accessLogRingBytes}
  timeout connect 1s
  timeout server 30s
  server agent unix@${s.sockets.accessLog} log-proto octet-count

resolvers cluster
  parse-resolv-conf
  hold valid 10s
  timeout resolve 1s

defaults
  mode http
  log global
  option dontlognull
  timeout connect ${s.connectTimeoutMs}ms
  timeout server ${s.responseTimeoutMs}ms
  timeout client 65s
  timeout http-request 30s
  timeout http-keep-alive 65s
  timeout tunnel ${s.websocketIdleTimeoutMs}ms
  timeout client-fin 5s
  # A refused connection is tried again. Retrying on an empty response would make HAProxy
  # copy every request into a retry buffer: a third of its instructions per request (callgrind).
  retries 1
  retry-on conn-failure
  errorfile 400 ${s.errorFileDir}/400.http
  errorfile 408 ${s.errorFileDir}/408.http
${httpError(edgeErrors.badGateway(), 502)}
${httpError(edgeErrors.badGateway(), 503)}
${httpError(edgeErrors.gatewayTimeout(), 504)}

frontend ${FRONTEND}
  bind ${s.bind.host}:${s.bind.port}
  log-format "${ACCESS_LOG_FORMAT}"
  # HAProxy's rules are most of the edge's cost per request, so the headers they read are
  # captured once and few variables are set (each \`set-var\` is a copy and an allocation).
${captureDeclarations()
  .map((capture) => `  ${capture}`)
  .join('\n')}
  # What the access log needs, captured while the request is at hand.
  http-request set-var(txn.t0) date(0,us)
  http-request set-var(txn.rid) ${requestHeader('requestId')} if { ${requestHeader('requestId')} -m reg ^[A-Za-z0-9_.:-]{1,128}$ }
  http-request set-var(txn.rid) uuid unless { var(txn.rid) -m found }
  http-request set-var(txn.path) path,json(utf8s)
  acl body_unsized ${requestHeader('transferEncoding')} -m found
  acl body_unsized ${requestHeader('upgrade')} -m found
  # A body without a declared length is counted as what arrived less the head: its size.
  http-request set-var-fmt(txn.unsized) "%[req.hdrs,length]:%[url,length]" if body_unsized !{ ${requestHeader('contentLength')} -m found }
${answer(edgeErrors.headersTooLarge(s.maxHeaderBytes), `{ req.hdrs,length gt ${s.maxHeaderBytes} }`)}

  # Which service: Host → service id → "access${sep}org${sep}project${sep}state${sep}ready count".
  # Lowercase, port dropped; the maps hold each name with and without a trailing dot.
  http-request set-var(txn.svc) ${requestHeader('host')},host_only,map(${s.maps.hosts})
${answer(edgeErrors.missingHost(), `!{ var(txn.svc) -m found } !{ ${requestHeader('host')} -m found }`)}
  http-request set-var(txn.info) var(txn.svc),map(${s.maps.services})
${answer(edgeErrors.unknownHost('%[req.hdr(host),host_only,json(utf8s)]'), '!{ var(txn.info) -m found }')}
${waitForChunkedBody ? `  http-request wait-for-body time 5s at-least ${limit + 1} if { ${requestHeader('transferEncoding')} -m found }\n` : ''}${answer(edgeErrors.bodyTooLarge(limit), `{ req.body_size gt ${limit} }`)}

  # Private services: exactly one credential decides, in the order a browser would expect.
  acl private var(txn.info) -m beg private${sep}
  acl upgrade ${requestHeader('upgrade')} -m found
  acl url_token url_param(${EDGE_TOKEN_QUERY_PARAM}) -m found
  acl has_authorization ${requestHeader('authorization')} -m found
  acl has_session req.cook(${EDGE_SESSION_COOKIE}) -m found
  http-request set-var(txn.cred) str(exchange) if private url_token !upgrade
  http-request set-var(txn.cred) str(url) if private url_token upgrade
  http-request set-var(txn.cred) str(key) if private !url_token has_authorization
  http-request set-var(txn.cred) str(session) if private !url_token !has_authorization has_session
${answer(edgeErrors.missingCredential(), 'private !{ var(txn.cred) -m found }')}
  acl by_key var(txn.cred) -m str key
  acl by_url var(txn.cred) -m str url
  acl by_session var(txn.cred) -m str session
  acl exchange var(txn.cred) -m str exchange

  # Access Keys: the keyed hash is looked up; the value is "org${sep}project or *${sep}expiry ms or 0".
  # HMAC is most of a private request's cost: a valid key's hash is remembered (the agent
  # empties this cache with every full read of the keys, so it holds only keys in use). Only
  # well-formed keys get there, so only a miss is checked for its shape. A miss, or a key
  # revoked since, is hashed below.
  http-request set-var(txn.scope) http_auth_bearer,map(${s.maps.hashes}),map(${s.maps.keys}) if by_key
${answer(edgeErrors.malformedAuthorization(), 'by_key !{ var(txn.scope) -m found } !{ http_auth_bearer -m reg ^slp_ak_[A-Za-z0-9_-]{1,193}$ }')}
  http-request set-var(txn.keys_until) str(keys_valid_until),map(${s.maps.state},0) if by_key
${answer(edgeErrors.authUnavailable(), 'by_key { date(0,ms),sub(txn.keys_until) gt 0 }')}
  http-request set-var(txn.key_hash) http_auth_bearer,hmac(sha256,proc.credential_key),hex,lower if by_key !{ var(txn.scope) -m found }
  http-request set-var(txn.scope) var(txn.key_hash),map(${s.maps.keys}) if { var(txn.key_hash) -m found }
  http-request set-var(txn.key_expiry) var(txn.scope),field(3,${sep}) if by_key !{ var(txn.scope) -m end ${sep}0 }
${answer(edgeErrors.invalidKey(), 'by_key !{ var(txn.scope) -m found } || { var(txn.key_expiry) -m found } { date(0,ms),sub(txn.key_expiry) ge 0 }')}
  # The key's "org${sep}project" (or "org${sep}*") against the service's.
  http-request set-var(txn.key_scope) var(txn.scope),field(1,${sep},2) if by_key
  acl key_in_project var(txn.info),field(2,${sep},2),strcmp(txn.key_scope) eq 0
  acl key_in_org var(txn.info),field(2,${sep}),concat(${sep}*),strcmp(txn.key_scope) eq 0
${answer(edgeErrors.forbidden(), 'by_key !key_in_project !key_in_org')}
  http-request set-map(${s.maps.hashes}) %[http_auth_bearer] %[var(txn.key_hash)] if { var(txn.key_hash) -m found } { var(txn.scope) -m found }

  # Signed URLs: the token (URL on an upgrade, else the session cookie) is verified here.
  acl by_token var(txn.cred) -m str url session
  http-request set-var(txn.token) url_param(${EDGE_TOKEN_QUERY_PARAM}) if by_url
  http-request set-var(txn.token) req.cook(${EDGE_SESSION_COOKIE}) if by_session
  http-request set-var(txn.token_service) var(txn.token),field(1,.),regsub('^slp_et_','') if by_token
  http-request set-var(txn.token_expiry) var(txn.token),field(2,.) if by_token
  http-request set-var(txn.token_mac) var(txn.token_service),regsub('^','v1:'),concat(':',txn.token_expiry,),hmac(sha256,proc.edge_token_key),ub64enc if by_token
  acl token_shape var(txn.token) -m reg ^slp_et_[A-Za-z0-9-]{1,64}\\.[1-9][0-9]{0,11}\\.[A-Za-z0-9_-]{43}$
  acl token_signed var(txn.token),field(3,.),secure_memcmp(txn.token_mac) -m bool
  acl token_for_service var(txn.token_service),strcmp(txn.svc) eq 0
  acl token_fresh date,sub(txn.token_expiry) lt 0
  http-request set-var(txn.token_valid) bool(true) if by_token token_shape token_signed token_for_service token_fresh
${answer(edgeErrors.invalidSignedUrl(), 'by_url !{ var(txn.token_valid) -m found }')}
${answer(edgeErrors.invalidSession(), 'by_session !{ var(txn.token_valid) -m found }', [['Set-Cookie', `${EDGE_SESSION_COOKIE}=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax`]])}

  http-request set-header X-Request-Id %[var(txn.rid)]

  # Measured before any change: HAProxy's byte count (%B) is of what the instance sent.
  http-response set-var(txn.reshl) res.hdrs,length unless { ${responseHeader('contentLength')} -m found }
  http-response del-header ^(?:keep-alive|proxy-connection)$ -m reg
  http-response lua.slipway_strip_response if { ${responseHeader('connection')} -m reg -i ${NAMES_OTHER_FIELDS} }
  http-after-response set-header X-Request-Id %[var(txn.rid)]
  acl sleeping ${inState('sleeping')}
  acl deleted ${inState('deleted')}
  http-after-response set-status 502 if { status 503 } !{ res.hdr(retry-after) -m found } exchange || { status 503 } !{ res.hdr(retry-after) -m found } !deleted !sleeping
  # Each backend holds only the rules of its path: a request is not checked for the others.
  # The state is the fourth field of the info (ids hold no "${sep}").
  acl unavailable var(txn.info) -m sub ${UNAVAILABLE_STATES.map((state) => `${sep}${state}${sep}`).join(' ')}
  use_backend exchange if exchange
  use_backend unavailable if unavailable
  use_backend wake if sleeping
  default_backend services

# Every service's instances: the destination is set per request from the endpoints map.
backend services
  http-reuse safe
${ADMITTED}
  # One ready instance (the common case) needs no draw.
  acl one_ready var(txn.info) -m end ${sep}1
  http-request set-var(txn.endpoint) var(txn.svc),concat('${ENDPOINT_KEY_SEPARATOR}0'),map(${s.maps.endpoints}) if one_ready
  http-request set-var(txn.ready) var(txn.info),field(5,${sep}) unless one_ready
  http-request set-var(txn.pick) rand,mod(txn.ready) if !one_ready { var(txn.ready) -m int gt 0 }
  http-request set-var(txn.endpoint) var(txn.svc),concat('${ENDPOINT_KEY_SEPARATOR}',txn.pick),map(${s.maps.endpoints}) if { var(txn.pick) -m found }
${answer(edgeErrors.noReadyInstance(), '!{ var(txn.endpoint) -m found }')}
  # Kubernetes routes name a cluster Service; the docker runtime's are instance addresses.
  acl endpoint_named var(txn.endpoint) -m reg ^[^/]*[a-zA-Z]
  http-request do-resolve(txn.endpoint_ip,cluster,ipv4) var(txn.endpoint),field(1,/) if endpoint_named
${answer(edgeErrors.badGateway(), 'endpoint_named !{ var(txn.endpoint_ip) -m found }')}
  http-request set-dst var(txn.endpoint_ip) if endpoint_named
  http-request set-dst var(txn.endpoint),field(1,/) unless endpoint_named
  http-request set-dst-port var(txn.endpoint),field(2,/)
${instanceRequestRules(s.trustProxy)}
  server instance 0.0.0.0:0

# A signed URL's first visit: the agent swaps the token for the session cookie.
backend exchange
  http-request set-header ${SERVICE_HEADER} %[var(txn.svc)]
  server agent unix@${s.sockets.exchange}

# Sleeping services: the agent holds each request until the service wakes, then proxies it.
backend wake
  # One request per connection: a connection HAProxy closes is a request given up.
  option http-server-close
  timeout server ${s.wakeTimeoutMs + s.responseTimeoutMs + WAKE_TIMEOUT_MARGIN_MS}ms
  # The agent cannot be reached (it restarts): the service is still asleep, so retry shortly.
${httpError(edgeErrors.noReadyInstance(), 503)}
${ADMITTED}
${instanceRequestRules(s.trustProxy)}
  http-request set-header ${SERVICE_HEADER} %[var(txn.svc)]
  server agent unix@${s.sockets.wake}

# A service with nothing to answer with: why, once its credential has passed.
backend unavailable
${answer(edgeErrors.deleted(), `{ ${inState('deleted')} }`)}
${answer(edgeErrors.notDeployed(), `{ ${inState('not_deployed')} }`)}
${answer(edgeErrors.paused(), `{ ${inState('paused')} }`)}

backend ${ACTIVITY_TABLE}
  stick-table type string len 64 size 100k expire ${ACTIVITY_TABLE_EXPIRE_MS}ms store conn_cur,http_req_cnt
`;
}

/**
 * What an instance sees (directly, or through the agent holding a sleeping service's request):
 * no edge credential, no hop-by-hop field, no service header a client made up, and the
 * forwarding facts. Behind a trusted proxy its X-Forwarded-* are kept (the client address
 * appended).
 */
function instanceRequestRules(trustProxy: boolean): string {
  const forwarded = trustProxy
    ? [
        `http-request set-header X-Forwarded-For "%[req.fhdr(x-forwarded-for)], %[src]" if { req.hdr(x-forwarded-for) -m found }`,
        'http-request set-header X-Forwarded-For %[src] unless { req.hdr(x-forwarded-for) -m found }',
        'http-request set-header X-Forwarded-Proto http unless { req.hdr(x-forwarded-proto) -m found }',
        'http-request set-header X-Forwarded-Host %[req.hdr(host)] unless { req.hdr(x-forwarded-host) -m found }',
      ]
    : [
        // A client's own were deleted with the fields below, so these are added without a search.
        'http-request add-header X-Forwarded-Proto http',
        `http-request add-header X-Forwarded-Host %[${requestHeader('host')}]`,
      ];
  // Without a trusted proxy in front, X-Forwarded-* are the edge's alone: HAProxy's own
  // forwardfor adds the client address.
  const replaced = trustProxy ? '' : '|x-forwarded-for|x-forwarded-proto|x-forwarded-host';
  const session = EDGE_SESSION_COOKIE;
  const token = EDGE_TOKEN_QUERY_PARAM;
  return [
    ...(trustProxy ? [] : ['option forwardfor']),
    // Most requests carry no cookie: the captured presence spares parsing them three times.
    `acl has_cookie ${requestHeader('cookie')} -m found`,
    `acl has_session req.cook(${session}) -m found`,
    `acl url_token url_param(${token}) -m found`,
    `http-request del-header ^(?:authorization|proxy-authorization|proxy-connection|keep-alive|te|trailer|${SERVICE_HEADER}${replaced})$ -m reg`,
    `http-request lua.slipway_strip_request if { ${requestHeader('connection')} -m reg -i ${NAMES_OTHER_FIELDS} }`,
    `http-request del-header Cookie if has_cookie has_session { req.fhdr(cookie) -m reg ^\\s*${session}=[^;]*;?\\s*$ }`,
    `http-request replace-header Cookie '^(.*?)(?:^|;\\s*)${session}=[^;]*(.*)$' '\\1\\2' if has_cookie has_session`,
    "http-request replace-header Cookie '^;\\s*(.*)$' '\\1' if has_cookie has_session",
    `http-request set-var(txn.query) query,regsub('&${token}=[^&]*',"",g),regsub('^${token}=[^&]*&?',"") if url_token`,
    'http-request set-query %[var(txn.query)] if url_token { var(txn.query) -m len gt 0 }',
    'http-request set-uri %[path] if url_token !{ var(txn.query) -m len gt 0 }',
    ...forwarded,
  ]
    .map((line) => `  ${line}`)
    .join('\n');
}

/** An ACL's test: the service is in `state` (its info's fourth field). */
function inState(state: string): string {
  return `var(txn.info) -m sub ${MAP_FIELD_SEPARATOR}${state}${MAP_FIELD_SEPARATOR}`;
}

/** One `http-request return` of the platform's error body, the request id filled in by HAProxy. */
function answer(
  error: EdgeError,
  condition: string,
  extraHeaders: readonly (readonly [string, string])[] = [],
): string {
  return `  http-request return status ${error.status}${errorReply(error, extraHeaders)} if ${condition}`;
}

/**
 * HAProxy's own answer for `status`. It answers 503 when no connection to the instance could
 * be made; that is a 502 here (the rules' own 503s carry Retry-After or, for a deleted
 * service, its state; these do not).
 */
function httpError(error: EdgeError, status: number): string {
  return `  http-error status ${status}${errorReply(error)}`;
}

/** Content type, body and headers of an error answer, as `return` and `http-error` take them. */
function errorReply(
  error: EdgeError,
  extraHeaders: readonly (readonly [string, string])[] = [],
): string {
  const headers = [...Object.entries(error.headers), ...extraHeaders]
    .map(([name, value]) => ` hdr ${name} ${quote(value)}`)
    .join('');
  return ` content-type application/json lf-string ${quote(errorBodyFormat(error))} hdr X-Request-Id "%[var(txn.rid)]"${headers}`;
}

const REQUEST_ID_SLOT = '<request id>';

/** The error body (the one `errorBody` writes) as a log-format string: HAProxy fills the request id. */
export function errorBodyFormat(error: EdgeError): string {
  return errorBody(error, REQUEST_ID_SLOT).replace(`"${REQUEST_ID_SLOT}"`, '"%[var(txn.rid)]"');
}

/** A double-quoted HAProxy word: backslash, quote and `$` (environment expansion) escaped. */
function quote(value: string): string {
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

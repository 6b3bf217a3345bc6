/**
 * Field rules shared by the validators. Each returns an error message naming what was
 * wrong and what was given, or undefined when the value is fine.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Docker reference grammar, simplified: [domain[:port]/]path[/path...][:tag][@digest].
const IMAGE_REFERENCE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);

export function isString(value: unknown): string | undefined {
  return typeof value === 'string' ? undefined : `must be a string (got ${quote(value)})`;
}

export function dnsLabel(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  if (value.length > 63) return `must be at most 63 characters (got ${value.length})`;
  return DNS_LABEL.test(value)
    ? undefined
    : `must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending alphanumeric (got ${quote(value)})`;
}

export function dns1035Label(value: unknown): string | undefined {
  const asLabel = dnsLabel(value);
  if (asLabel !== undefined) return asLabel;
  return DNS_1035_LABEL.test(value as string)
    ? undefined
    : `must start with a letter (got ${quote(value)})`;
}

/** A hostname for a custom domain: at least two labels, no wildcard, no trailing dot. */
export function domainName(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  if (value.length > 253) return `must be at most 253 characters (got ${value.length})`;
  const labels = value.split('.');
  if (labels.length < 2 || labels.some((label) => label.length > 63 || !DNS_LABEL.test(label))) {
    return `must be a lowercase fully qualified domain name like "api.example.com" (got ${quote(value)})`;
  }
  return undefined;
}

/** A label value; ids go into selectors, so they must obey it. */
export function labelValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  if (value.length > 63) return `must be at most 63 characters (got ${value.length})`;
  return LABEL_VALUE.test(value)
    ? undefined
    : `must be a label value: alphanumerics, "-", "_" and ".", starting and ending alphanumeric (got ${quote(value)})`;
}

export function nonEmptyLabelValue(value: unknown): string | undefined {
  return value === '' ? 'must not be empty' : labelValue(value);
}

function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && value.split('.').every((label) => DNS_LABEL.test(label));
}

/** Names of most namespaced objects (Secrets, StorageClasses): dot-separated DNS labels. */
export function dnsSubdomain(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  return isDnsSubdomain(value)
    ? undefined
    : `must be a DNS-1123 subdomain: dot-separated lowercase labels, at most 253 characters (got ${quote(value)})`;
}

/** `[prefix/]name` as Kubernetes label and annotation keys require. */
export function labelKey(value: string): string | undefined {
  const slash = value.indexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) {
    return `must have a DNS subdomain prefix (got ${quote(value)})`;
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return `must be a label key: [prefix/]name with a name of 1-63 alphanumerics, "-", "_" or "." (got ${quote(value)})`;
  }
  return undefined;
}

export function envVarName(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  return ENV_NAME.test(value)
    ? undefined
    : `must be a C identifier: letters, digits and "_", not starting with a digit (got ${quote(value)})`;
}

export function imageReference(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  if (value.length > 512) return `must be at most 512 characters (got ${value.length})`;
  return IMAGE_REFERENCE.test(value)
    ? undefined
    : `must be an image reference like "registry.example.com/team/app:1.2" (got ${quote(value)})`;
}

export function imageDigest(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  return DIGEST.test(value)
    ? undefined
    : `must be "sha256:" and 64 hex digits (got ${quote(value)})`;
}

/** An HTTP path for probes: absolute, printable ASCII, no spaces. */
export function httpPath(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  if (value.length > 1024) return `must be at most 1024 characters (got ${value.length})`;
  return /^\/[\x21-\x7e]*$/.test(value)
    ? undefined
    : `must be an absolute HTTP path like "/healthz" (got ${quote(value)})`;
}

/** A mount path: absolute, normalised, and not over `/` or the contract's `/tmp`. */
export function mountPath(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  const segments = value.split('/').slice(1);
  if (
    !value.startsWith('/') ||
    value.length > 1024 ||
    segments.some((s) => s === '' || s === '.' || s === '..' || s.includes(':'))
  ) {
    return `must be a normalised absolute path like "/data" (got ${quote(value)})`;
  }
  if (segments[0] === 'tmp')
    return `must not be under /tmp, which Slipway mounts (got ${quote(value)})`;
  return undefined;
}

export function integerIn(value: unknown, min: number, max: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return `must be a whole number (got ${quote(value)})`;
  }
  return value < min || value > max ? `must be in ${min}..${max} (got ${value})` : undefined;
}

export function isoTimestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  return ISO_TIMESTAMP.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : `must be an ISO 8601 timestamp like "2026-01-02T03:04:05Z" (got ${quote(value)})`;
}

export function httpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string') return isString(value);
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  } catch {
    // fall through to the message below
  }
  return `must be an http(s) URL (got ${quote(value)})`;
}

export function stringList(value: unknown, max: number): string | undefined {
  if (!Array.isArray(value)) return `must be a list of strings (got ${quote(value)})`;
  if (value.length > max) return `must have at most ${max} entries (got ${value.length})`;
  const bad = value.findIndex((item) => typeof item !== 'string');
  return bad >= 0 ? `entry ${bad} must be a string (got ${quote(value[bad])})` : undefined;
}

/** A rule accepting exactly the listed values. */
export function oneOf(allowed: readonly unknown[]): (value: unknown) => string | undefined {
  return (value) =>
    allowed.includes(value)
      ? undefined
      : `must be one of ${allowed.join(', ')} (got ${quote(value)})`;
}

/** A whole number in min..max, as a rule for optional fields. */
export function integerRule(min: number, max: number): (value: unknown) => string | undefined {
  return (value) => integerIn(value, min, max);
}

import { DomainError } from '../common/errors/domain-error';

/** Most custom domains one service may have (each is an Ingress on Kubernetes). */
export const MAX_DOMAINS_PER_SERVICE = 10;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * What is wrong with `domain` as a custom domain, or undefined when nothing is: a lowercase
 * fully qualified DNS name (labels of 1..63 letters, digits and inner dashes, at most 253
 * characters, at least two labels), no wildcard, no IP address, and outside the platform's
 * apps domain, where generated hostnames live.
 */
export function customDomainProblem(domain: string, appsDomain: string): string | undefined {
  if (domain.includes('*')) return 'wildcard domains are not supported; list each hostname';
  if (domain !== domain.toLowerCase()) return 'must be lowercase';
  if (domain.length > 253) return `must be at most 253 characters (got ${domain.length})`;
  const labels = domain.split('.');
  if (labels.length < 2) return 'must be a fully qualified domain name such as shop.example.com';
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    return bad === ''
      ? 'must not have empty labels (leading, trailing or double dots)'
      : `has an invalid label '${bad.slice(0, 70)}': 1 to 63 letters, digits or inner dashes`;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return 'must be a name, not an IP address';
  if (domain === appsDomain || domain.endsWith(`.${appsDomain}`)) {
    return `must not be under the platform's apps domain '${appsDomain}'`;
  }
  return undefined;
}

/** Throws a 400 naming every problem in the requested list (index by index). */
export function assertCustomDomains(domains: readonly string[], appsDomain: string): void {
  if (domains.length > MAX_DOMAINS_PER_SERVICE) {
    throw DomainError.validation(
      `domains: at most ${MAX_DOMAINS_PER_SERVICE} per service (got ${domains.length})`,
    );
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  domains.forEach((domain, index) => {
    const problem =
      customDomainProblem(domain, appsDomain) ??
      (seen.has(domain) ? `duplicates '${domain}'` : undefined);
    if (problem !== undefined) problems.push(`domains[${index}]: ${problem}`);
    seen.add(domain);
  });
  if (problems.length > 0) throw DomainError.validation(problems.join('; '));
}

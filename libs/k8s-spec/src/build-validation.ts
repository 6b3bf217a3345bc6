import type { BuildOptions, BuildSpec } from './build-job';
import { Problems } from './errors';
import {
  dnsLabel,
  dnsSubdomain,
  httpUrl,
  imageReference,
  integerIn,
  nonEmptyLabelValue,
} from './rules';

/** A path inside the bundle: relative, normalised enough to never leave it. */
function bundlePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty relative path';
  if (value.startsWith('/') || value.includes('\\') || value.split('/').includes('..')) {
    return `must be a relative path inside the bundle (got ${JSON.stringify(value)})`;
  }
  return undefined;
}

/** Throws a SpecValidationError listing every problem with a build spec and its options. */
export function validateBuild(spec: BuildSpec, options: BuildOptions): void {
  const problems = new Problems();
  for (const key of ['deploymentId', 'serviceId', 'projectId', 'orgId'] as const) {
    problems.add(`build.${key}`, nonEmptyLabelValue(spec[key]));
  }
  if ((spec as { git?: unknown }).git !== undefined) {
    problems.add(
      'build.git',
      'a Kaniko build takes an uploaded source bundle, not a git repository',
    );
  }
  problems.add('build.bundle.url', httpUrl(spec.bundle?.url));
  if (typeof spec.bundle?.token !== 'string' || !/^[\x21-\x7e]{16,512}$/.test(spec.bundle.token)) {
    problems.add('build.bundle.token', 'must be 16-512 printable characters without spaces');
  }
  problems.add('build.docker.file', bundlePath(spec.docker?.file));
  problems.add('build.docker.context', bundlePath(spec.docker?.context));
  problems.add('build.destination', imageReference(spec.destination));
  problems.optional('build.cacheRepository', spec.cacheRepository, imageReference);
  problems.add('options.registrySecretName', dnsSubdomain(options.registrySecretName));
  problems.optional('options.namespace', options.namespace, dnsLabel);
  problems.optional('options.executorImage', options.executorImage, imageReference);
  problems.optional('options.fetcherImage', options.fetcherImage, imageReference);
  problems.optional('options.activeDeadlineSeconds', options.activeDeadlineSeconds, (value) =>
    integerIn(value, 60, 86_400),
  );
  problems.optional('options.ttlSecondsAfterFinished', options.ttlSecondsAfterFinished, (value) =>
    integerIn(value, 0, 604_800),
  );
  problems.throwIfAny('build spec');
}

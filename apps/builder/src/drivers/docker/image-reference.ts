/** `registry/repo/path:tag` split the way the Engine's push endpoint wants it. */
export interface ImageReference {
  /** Host[:port] the image is pushed to (`docker.io` when the reference names none). */
  registry: string;
  /** Everything before the tag, registry included. */
  repository: string;
  tag: string;
}

export function parseImageReference(reference: string): ImageReference {
  const lastSlash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon <= lastSlash) throw new Error(`image reference '${reference}' has no tag`);
  const repository = reference.slice(0, colon);
  const tag = reference.slice(colon + 1);
  const first = repository.split('/')[0] ?? '';
  // Docker's rule: the first component is a registry if it looks like a host.
  const hasRegistry =
    repository.includes('/') &&
    (first.includes('.') || first.includes(':') || first === 'localhost');
  return { registry: hasRegistry ? first : 'docker.io', repository, tag };
}

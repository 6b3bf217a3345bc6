/**
 * A release of the docker stack's site that writes a log: a line as it starts, then one per
 * request (busybox httpd -v), so the dashboard's Pods tab has the container's own log to show.
 */
import type Dockerode from 'dockerode';
import { buildTestImage } from '../../../test/support/docker-stack';

export interface LoggingSite {
  /** The stack's site image to build on (it has busybox and /www). */
  readonly from: string;
  readonly tag: string;
  /** Printed once as the container starts. */
  readonly bootLine: string;
  /** The page it serves at /index.html. */
  readonly text: string;
}

/** Builds the image on the engine; the caller removes it. */
export async function buildLoggingSite(docker: Dockerode, site: LoggingSite): Promise<void> {
  await buildTestImage(docker, site.tag, {
    Dockerfile: [
      `FROM ${site.from}`,
      'COPY index.html /www/index.html',
      `CMD ["sh", "-c", "echo '${site.bootLine}'; exec httpd -f -v -p 8080 -h /www"]`,
      '',
    ].join('\n'),
    'index.html': site.text,
  });
}

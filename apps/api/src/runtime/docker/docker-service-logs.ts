/**
 * Service-wide logs on the docker runtime: the history of every container of the service,
 * stopped and retired ones included (they stay until the next rollout removes them), each
 * line tagged with its container's name and the time the engine received it.
 */
import type Dockerode from 'dockerode';
import type { ServiceLogLine, ServiceLogQuery } from '../runtime-driver';
import {
  ServiceLogCollector,
  ceilSeconds,
  floorSeconds,
  runtimeTail,
  type InstanceLogSink,
} from '../service-logs';
import { isStatus } from './docker-errors';
import { demuxLogBuffer } from './docker-logs';
import { serviceContainersFilter } from './docker-naming';

export async function readServiceLogs(
  docker: Dockerode,
  serviceId: string,
  query: ServiceLogQuery,
): Promise<ServiceLogLine[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: serviceContainersFilter(serviceId),
  });
  const collector = new ServiceLogCollector(query);
  await Promise.all(
    containers.map((info) => readContainerLog(docker.getContainer(info.Id), collector, query)),
  );
  return collector.lines();
}

/** One container's lines in the window into `collector`; nothing when it is gone meanwhile. */
async function readContainerLog(
  container: Dockerode.Container,
  collector: ServiceLogCollector,
  query: ServiceLogQuery,
): Promise<void> {
  const tail = runtimeTail(query);
  let info: Dockerode.ContainerInspectInfo;
  let history: Buffer;
  try {
    info = await container.inspect({ abortSignal: query.signal });
    history = await container.logs({
      stdout: true,
      stderr: true,
      timestamps: true,
      follow: false,
      // The engine takes whole seconds (since inclusive, until inclusive); the collector
      // applies the exact window.
      ...(query.start === undefined ? {} : { since: floorSeconds(query.start) }),
      ...(query.end === undefined ? {} : { until: ceilSeconds(query.end) }),
      ...(tail === undefined ? {} : { tail }),
      abortSignal: query.signal,
    });
  } catch (error) {
    if (isStatus(error, 404)) return; // removed between the list and the read
    throw error;
  }
  collectLog(collector.instance(info.Name.replace(/^\//, '')), history, info.Config.Tty);
}

/**
 * Feeds a complete log answer to `sink`. Without a TTY the engine frames stdout and stderr
 * (each frame one timestamped line); with one it sends the raw text.
 */
export function collectLog(sink: InstanceLogSink, history: Buffer, tty: boolean): void {
  sink.text((tty ? history : demuxLogBuffer(history)).toString('utf8'));
}

import Docker from 'dockerode';

/** A dockerode client for DOCKER_HOST (`unix://`, `tcp://`, `http(s)://`), or the default socket. */
export function createDockerClient(host?: string): Docker {
  if (!host) return new Docker();
  const url = new URL(host);
  if (url.protocol === 'unix:') return new Docker({ socketPath: url.pathname });
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port || (protocol === 'https' ? '2376' : '2375');
  return new Docker({ protocol, host: url.hostname, port });
}

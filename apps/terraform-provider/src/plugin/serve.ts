/**
 * go-plugin's side of the plugin: checks it was started by Terraform, listens on loopback
 * with mutual TLS (Terraform's certificate from PLUGIN_CLIENT_CERT, a fresh one of ours
 * announced on the handshake line), serves the provider and the services go-plugin's host
 * expects, and prints the one handshake line on stdout.
 */
import * as grpc from '@grpc/grpc-js';
import { createServerCertificate } from './certificate';
import {
  CORE_PROTOCOL_VERSION,
  loadProtocol,
  MAGIC_COOKIE_KEY,
  MAGIC_COOKIE_VALUE,
  PROVIDER_PROTOCOL_VERSION,
} from './protocol';

export type UnaryHandler = (request: Record<string, unknown>) => Promise<Record<string, unknown>>;

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

/** Why this process cannot serve Terraform, or undefined when it can. */
export function handshakeProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE)
    return 'This is a Terraform provider plugin: Terraform starts it. Run `terraform init` in a configuration that requires slipway/slipway (see the README), or `terraform-provider-slipway install --mirror DIR` to install it.';
  const offered = (env.PLUGIN_PROTOCOL_VERSIONS ?? String(PROVIDER_PROTOCOL_VERSION)).split(',');
  if (!offered.map((v) => v.trim()).includes(String(PROVIDER_PROTOCOL_VERSION)))
    return `Terraform offers plugin protocol ${offered.join(', ')}; this provider speaks ${PROVIDER_PROTOCOL_VERSION} (Terraform 1.0 or later)`;
  return undefined;
}

function unary(handler: UnaryHandler): grpc.handleUnaryCall<Record<string, unknown>, unknown> {
  return (call, callback) => {
    handler(call.request).then(
      (response) => callback(null, response),
      (error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
    );
  };
}

export interface Serving {
  readonly server: grpc.Server;
  readonly port: number;
  /** The line go-plugin's host reads from stdout. */
  readonly handshake: string;
}

/** Every message Terraform sends fits: state of a large stack is bigger than gRPC's 4 MiB default. */
const MESSAGE_LIMIT = 256 * 1024 * 1024;

export async function serve(
  handlers: Record<string, UnaryHandler>,
  env: NodeJS.ProcessEnv,
  onShutdown: () => void,
): Promise<Serving> {
  const protocol = loadProtocol();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': MESSAGE_LIMIT,
    'grpc.max_send_message_length': MESSAGE_LIMIT,
  });
  server.addService(
    protocol.Provider.service,
    Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, unary(handler)])),
  );
  server.addService(protocol.Health.service, {
    Check: unary(() => Promise.resolve({ status: 'SERVING' })),
  });
  server.addService(protocol.GRPCController.service, {
    Shutdown: unary(() => {
      setImmediate(onShutdown);
      return Promise.resolve({});
    }),
  });
  // Nothing to forward or broker: the streams stay open and quiet until the host closes them.
  server.addService(protocol.GRPCStdio.service, {
    StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) =>
      call.on('cancelled', () => call.end()),
  });
  server.addService(protocol.GRPCBroker.service, {
    StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      call.on('data', () => undefined);
      call.on('end', () => call.end());
    },
  });

  const clientCert = env.PLUGIN_CLIENT_CERT;
  let credentials = grpc.ServerCredentials.createInsecure();
  let announced = '';
  if (clientCert) {
    const own = await createServerCertificate();
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ cert_chain: Buffer.from(own.certPem), private_key: Buffer.from(own.keyPem) }],
      true,
    );
    announced = Buffer.from(own.der).toString('base64').replace(/=+$/, '');
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const handshake = [
    CORE_PROTOCOL_VERSION,
    PROVIDER_PROTOCOL_VERSION,
    'tcp',
    `127.0.0.1:${port}`,
    'grpc',
    announced,
  ].join('|');
  return { server, port, handshake };
}

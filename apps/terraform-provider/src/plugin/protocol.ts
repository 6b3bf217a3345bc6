/** The protocol definitions in proto/, loaded once for the server and for tests' clients. */
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

export const PROTO_DIR = join(__dirname, '..', '..', 'proto');

/** Field names as written (snake_case), enums as names, bytes as Buffers, defaults filled. */
const LOADER_OPTIONS = {
  keepCase: true,
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  oneofs: true,
} as const;

type Loaded = Record<string, grpc.GrpcObject & Record<string, grpc.ServiceClientConstructor>>;

export function loadProtocol() {
  const definition = loadSync(
    ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'].map((file) => join(PROTO_DIR, file)),
    LOADER_OPTIONS,
  );
  const loaded = grpc.loadPackageDefinition(definition) as unknown as Loaded & {
    grpc: { health: { v1: Record<string, grpc.ServiceClientConstructor> } };
  };
  const service = (pkg: Record<string, grpc.ServiceClientConstructor>, name: string) => {
    const constructor = pkg[name];
    if (!constructor) throw new Error(`proto/ defines no service ${name}`);
    return constructor;
  };
  return {
    Provider: service(loaded.tfplugin6 as never, 'Provider'),
    GRPCController: service(loaded.plugin as never, 'GRPCController'),
    GRPCStdio: service(loaded.plugin as never, 'GRPCStdio'),
    GRPCBroker: service(loaded.plugin as never, 'GRPCBroker'),
    Health: service(loaded.grpc.health.v1, 'Health'),
  };
}

/** go-plugin's handshake values for Terraform providers. */
export const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
export const MAGIC_COOKIE_VALUE =
  'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
export const CORE_PROTOCOL_VERSION = 1;
export const PROVIDER_PROTOCOL_VERSION = 6;

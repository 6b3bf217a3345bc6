/**
 * Starts the built provider the way Terraform does (magic cookie, protocol versions, a
 * client certificate for mutual TLS), reads its handshake line and talks gRPC to it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { createServerCertificate } from '../src/plugin/certificate';
import { loadProtocol, MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../src/plugin/protocol';
import { type Block } from '../src/wire/types';
import {
  decodeObject,
  encodeObject,
  type DynamicValue,
  type ObjectValue,
} from '../src/wire/values';

export const MAIN = join(__dirname, '..', 'dist', 'main.js');

export type Reply = Record<string, unknown> & {
  diagnostics?: { severity: string; summary: string; detail: string; attribute?: unknown }[];
};

type UnaryCall = (
  request: object,
  callback: (error: grpc.ServiceError | null, reply: Reply) => void,
) => void;

export interface Plugin {
  readonly process: ChildProcess;
  readonly handshake: string[];
  /** Calls one Provider RPC. */
  call(method: string, request?: Record<string, unknown>): Promise<Reply>;
  /** Calls one RPC of another service the plugin serves (health, controller). */
  callService(
    service: 'Health' | 'GRPCController',
    method: string,
    request?: object,
  ): Promise<Reply>;
  stderr(): string;
  exited(): Promise<number | null>;
  close(): Promise<void>;
}

export async function startPlugin(env: Record<string, string> = {}): Promise<Plugin> {
  const client = await createServerCertificate();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: '5,6',
      PLUGIN_CLIENT_CERT: client.certPem,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', resolve);
    void exit.then((code) => reject(new Error(`the plugin exited with ${code}: ${stderr}`)));
  });
  const handshake = line.split('|');
  const [, , , address = '', , cert = ''] = handshake;
  const credentials = grpc.credentials.createSsl(
    Buffer.from(new X509Certificate(Buffer.from(cert, 'base64')).toString()),
    Buffer.from(client.keyPem),
    Buffer.from(client.certPem),
  );
  const protocol = loadProtocol();
  const options = { 'grpc.ssl_target_name_override': 'localhost' };
  const clients = {
    Provider: new protocol.Provider(address, credentials, options),
    Health: new protocol.Health(address, credentials, options),
    GRPCController: new protocol.GRPCController(address, credentials, options),
  };
  const invoke = (target: grpc.Client, method: string, request: object) =>
    new Promise<Reply>((resolve, reject) => {
      const fn = (target as unknown as Record<string, UnaryCall | undefined>)[method];
      if (!fn) return reject(new Error(`no RPC ${method}`));
      fn.call(target, request, (error, reply) => (error ? reject(error) : resolve(reply)));
    });
  return {
    process: child,
    handshake,
    call: (method, request = {}) => invoke(clients.Provider, method, request),
    callService: (service, method, request = {}) => invoke(clients[service], method, request),
    stderr: () => stderr,
    exited: () => exit,
    async close() {
      for (const c of Object.values(clients)) c.close();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}

/** A DynamicValue of `block`'s shape, for requests. */
export const value = (block: Block, object: ObjectValue | null): DynamicValue =>
  encodeObject(block, object);

/** A DynamicValue of a reply, decoded. */
export const decoded = (block: Block, dynamic: unknown): ObjectValue | null =>
  decodeObject(block, dynamic as DynamicValue);

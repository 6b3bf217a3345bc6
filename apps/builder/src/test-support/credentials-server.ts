/**
 * A local HTTP server that plays the API's internal git-credentials endpoint: `GET` with
 * the build token as a Bearer header, answered with `{ "username", "password" }` (or
 * whatever answer a test scripts).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GitCredentials, GitSource } from '@slipway/contracts';

/** A scripted answer: a status and a raw body. */
export interface CredentialsAnswer {
  readonly status: number;
  readonly body?: string;
}

export class CredentialsServer {
  private server: Server | undefined;
  private baseUrl = '';
  private readonly endpoints = new Map<string, { token: string; answer: CredentialsAnswer }>();
  /** Requests seen, to check the build token was sent. */
  readonly requests: { path: string; authorization: string | undefined }[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      req.resume();
      const path = req.url ?? '';
      this.requests.push({ path, authorization: req.headers.authorization });
      const endpoint = this.endpoints.get(path);
      if (!endpoint) return res.writeHead(404).end();
      if (req.headers.authorization !== `Bearer ${endpoint.token}`) {
        return res.writeHead(401).end();
      }
      res.writeHead(endpoint.answer.status, { 'content-type': 'application/json' });
      res.end(endpoint.answer.body ?? '');
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Publishes `credentials` (or a scripted answer); returns the job's `git.credentials`. */
  serve(credentials: GitCredentials | CredentialsAnswer): NonNullable<GitSource['credentials']> {
    const path = `/internal/git-credentials/${this.endpoints.size + 1}`;
    const token = `slp_bt_${randomBytes(16).toString('hex')}`;
    const answer =
      'status' in credentials ? credentials : { status: 200, body: JSON.stringify(credentials) };
    this.endpoints.set(path, { token, answer });
    return { url: `${this.baseUrl}${path}`, token };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * Readiness of a new instance: poll its health check (HTTP GET of the path, or a TCP connect
 * to its port when there is none) while watching the container, so a crash fails the rollout at
 * once with the exit code and the last log lines as evidence.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { RolloutFailedError, type Endpoint } from '../runtime-driver';
import { lastLogLines } from './docker-logs';

/** Log lines quoted in a failure reason. */
export const FAILURE_LOG_LINES = 20;

export interface ProbeResult {
  readonly ok: boolean;
  /** What the check saw (`HTTP 200`, `connection refused`), quoted in failure reasons. */
  readonly detail: string;
}

export interface ReadinessCheck {
  /** The port the container listens on. */
  readonly port: number;
  /** HTTP path to GET; a TCP connect when undefined. */
  readonly path: string | undefined;
  readonly timeoutMs: number;
}

export function describeCheck(check: ReadinessCheck): string {
  return check.path === undefined
    ? `TCP connect to port ${check.port}`
    : `health check GET ${check.path}`;
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'EHOSTUNREACH') return 'host unreachable';
  if (code === 'ECONNRESET') return 'connection reset';
  return error instanceof Error ? error.message : String(error);
}

/** One check against `host:port`: 2xx/3xx for HTTP, an accepted connection for TCP. */
export function probe(host: string, check: ReadinessCheck): Promise<ProbeResult> {
  const timedOut = `no answer within ${check.timeoutMs} ms`;
  return new Promise((resolve) => {
    if (check.path === undefined) {
      const socket = connect({ host, port: check.port, timeout: check.timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve({ ok: true, detail: 'connected' });
      });
      socket.once('timeout', () => socket.destroy(new Error(timedOut)));
      socket.once('error', (error) => resolve({ ok: false, detail: describeError(error) }));
      return;
    }
    const req = request(
      {
        host,
        port: check.port,
        path: check.path,
        method: 'GET',
        agent: false,
        timeout: check.timeoutMs,
        headers: { 'user-agent': 'slipway-readiness' },
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 400, detail: `HTTP ${status}` });
      },
    );
    req.once('timeout', () => req.destroy(new Error(timedOut)));
    req.once('error', (error) => resolve({ ok: false, detail: describeError(error) }));
    req.end();
  });
}

export interface WaitForReadyOptions {
  readonly network: string;
  readonly check: ReadinessCheck;
  readonly pollMs: number;
  /** Epoch ms after which the instance counts as never ready. */
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Aborts the wait (the rollout was cancelled, or a sibling instance failed). */
  readonly signal: AbortSignal;
}

/** `instance <name> <what>.` and the container's last log lines as evidence. */
export async function instanceFailure(
  container: Dockerode.Container,
  name: string,
  what: string,
): Promise<RolloutFailedError> {
  const logs = await lastLogLines(container, FAILURE_LOG_LINES);
  const evidence = logs === '' ? 'It wrote no log output.' : `Last log lines:\n${logs}`;
  return new RolloutFailedError(`instance ${name} ${what}. ${evidence}`);
}

export function exitDescription(state: Dockerode.ContainerInspectInfo['State']): string {
  if (state.OOMKilled)
    return `was killed for exceeding its memory limit (exit code ${state.ExitCode})`;
  if (state.Error) return `failed to run: ${state.Error}`;
  return `exited with code ${state.ExitCode}`;
}

/**
 * Resolves with the instance's endpoint once its check passes. Throws RolloutFailedError
 * when the container stops or the deadline passes, and the signal's reason when aborted.
 */
export async function waitForReady(
  container: Dockerode.Container,
  name: string,
  options: WaitForReadyOptions,
): Promise<Endpoint> {
  let last = 'not checked yet';
  for (;;) {
    options.signal.throwIfAborted();
    const info = await container.inspect({ abortSignal: options.signal });
    const state = info.State;
    if (state.Restarting || state.Status === 'exited' || state.Status === 'dead') {
      throw await instanceFailure(
        container,
        name,
        `${exitDescription(state)} before becoming ready`,
      );
    }
    const host = info.NetworkSettings.Networks[options.network]?.IPAddress ?? '';
    if (state.Running && host !== '') {
      const result = await probe(host, options.check);
      if (result.ok) return { host, port: options.check.port };
      last = result.detail;
    } else {
      last = state.Running ? 'no IP address on the network yet' : `container is ${state.Status}`;
    }
    if (Date.now() >= options.deadline) {
      const seconds = Math.round(options.timeoutMs / 100) / 10;
      throw await instanceFailure(
        container,
        name,
        `did not become ready within ${seconds} s (${describeCheck(options.check)}: ${last})`,
      );
    }
    await sleep(Math.min(options.pollMs, Math.max(0, options.deadline - Date.now())), undefined, {
      signal: options.signal,
    });
  }
}

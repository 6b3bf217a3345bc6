import { INJECTED_ENV } from './env';

/**
 * Value of `OTEL_EXPORTER_OTLP_HEADERS` for a service token. The OpenTelemetry spec
 * formats it like W3C baggage, so the space after `Bearer` is percent-encoded; every
 * SDK decodes it back to `Authorization: Bearer <token>`.
 */
export function otlpHeadersFor(serviceToken: string): string {
  return `Authorization=Bearer%20${encodeURIComponent(serviceToken)}`;
}

/** Injected variables whose values are credentials: they travel only through secrets. */
export const SECRET_INJECTED_ENV = [INJECTED_ENV.serviceToken, INJECTED_ENV.otlpHeaders] as const;

/** Environment variables Slipway injects into every service container. */
export const INJECTED_ENV = {
  serviceId: 'SLIPWAY_SERVICE_ID',
  serviceToken: 'SLIPWAY_SERVICE_TOKEN',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otlpHeaders: 'OTEL_EXPORTER_OTLP_HEADERS',
  otelServiceName: 'OTEL_SERVICE_NAME',
  port: 'PORT',
} as const;

/** The port a service container listens on unless its service names another (the contract's). */
export const CONTAINER_PORT = 8080;

/** The ports a service may name; below 1024 works because instances may bind them unprivileged. */
export const SERVICE_PORT_RANGE = { min: 1, max: 65535 } as const;

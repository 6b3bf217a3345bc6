/** Environment variables Slipway injects into every service container. */
export const INJECTED_ENV = {
  serviceId: 'SLIPWAY_SERVICE_ID',
  serviceToken: 'SLIPWAY_SERVICE_TOKEN',
  otlpEndpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  otlpHeaders: 'OTEL_EXPORTER_OTLP_HEADERS',
  otelServiceName: 'OTEL_SERVICE_NAME',
  port: 'PORT',
} as const;

/** The port every service container listens on (the container contract). */
export const CONTAINER_PORT = 8080;

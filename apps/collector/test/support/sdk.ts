import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

export type Transport = 'json' | 'protobuf';

type ExportCallback = Parameters<SpanExporter['export']>[1];
type ExportResult = Parameters<ExportCallback>[0];
type ExporterOptions = NonNullable<ConstructorParameters<typeof OtlpProtoExporter>[0]>;

/** ExportResultCode.SUCCESS */
export const EXPORT_SUCCESS = 0;

/** Records every export result so a test can assert that the SDK saw success. */
class RecordingExporter implements SpanExporter {
  readonly results: ExportResult[] = [];
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: ExportCallback): void {
    this.inner.export(spans, (result) => {
      this.results.push(result);
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export interface SdkClient {
  readonly tracer: Tracer;
  readonly exporter: RecordingExporter;
  /** Exports everything ended so far and waits for the answers. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * A tracer provider configured the way a service's unmodified SDK would be from
 * OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_HEADERS / OTEL_SERVICE_NAME.
 */
export function sdkClient(options: {
  collectorUrl: string;
  token: string;
  transport: Transport;
  gzip?: boolean;
  serviceName?: string;
}): SdkClient {
  const exporterOptions: ExporterOptions = {
    url: `${options.collectorUrl}/v1/traces`,
    headers: { Authorization: `Bearer ${options.token}` },
    compression: (options.gzip ? 'gzip' : 'none') as ExporterOptions['compression'],
  };
  const exporter = new RecordingExporter(
    options.transport === 'json'
      ? new OtlpHttpJsonExporter(exporterOptions)
      : new OtlpProtoExporter(exporterOptions),
  );
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName ?? 'checkout',
      'deployment.environment': 'test',
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { maxExportBatchSize: 512 })],
  });
  return {
    tracer: provider.getTracer('collector-tests', '1.2.3'),
    exporter,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

export { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace };

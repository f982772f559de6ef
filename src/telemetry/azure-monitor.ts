import { urlRedaction } from './url-redaction';

export interface Telemetry {
  /** True when traces and metrics go to Azure Monitor. */
  enabled: boolean;
  /** Sends what is still buffered; never rejects, so a telemetry outage cannot fail a clean stop. */
  shutdown(): Promise<void>;
}

const DISABLED: Telemetry = { enabled: false, shutdown: async () => undefined };

/**
 * Sends traces and hibi's metrics (src/telemetry/metrics.ts) to Application Insights when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set; otherwise does nothing, and hibi's metrics stay no-ops.
 * The distro is loaded only then: it is a second of start-up and sets process.env on import.
 * Call it before loading what should be traced: its HTTP instrumentation patches modules as they load.
 */
export async function startTelemetry(env: { APPLICATIONINSIGHTS_CONNECTION_STRING?: string }): Promise<Telemetry> {
  const connectionString = env.APPLICATIONINSIGHTS_CONNECTION_STRING;
  if (!connectionString) return DISABLED;
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  // Application Insights shows the service name as the cloud role; unnamed it is `unknown_service:node`.
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    resource: resourceFromAttributes({ 'service.name': 'hibi' }),
    spanProcessors: [urlRedaction],
  });
  return {
    enabled: true,
    shutdown: async () => {
      await shutdownAzureMonitor().catch(() => undefined);
    },
  };
}

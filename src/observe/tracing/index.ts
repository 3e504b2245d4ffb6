/**
 * Traces of turns with OpenTelemetry, GenAI semantic conventions for the names. Only the setup
 * is exported: it loads the OpenTelemetry modules itself when tracing is on, and nothing
 * imports them while it is off.
 */
export { tracingSetup, type TracingSetup, type TracingSetupOptions } from './tracing-setup.js';

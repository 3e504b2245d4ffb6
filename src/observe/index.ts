export * from './telemetry.js';
export * from './turn-facts.js';
export * from './window-summary.js';
export * from './metrics/metric-set.js';
export * from './metrics/metrics-sink.js';
export * from './metrics/metrics-route.js';
export * from './conversations/conversation-tracker.js';
export * from './telemetry-stage.js';

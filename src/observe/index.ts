export * from './telemetry.js';
export * from './turn-facts.js';
export * from './window-summary.js';

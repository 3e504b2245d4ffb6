export * from './telemetry.js';
export * from './turn-facts.js';
export * from './window-summary.js';
export { registerDashboard, DASHBOARD_CSP } from './dashboard/index.js';

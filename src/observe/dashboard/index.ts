export { registerDashboard, DASHBOARD_CSP } from './register-dashboard.js';
export { loadDashboardAssets, type DashboardAssets } from './assets.js';

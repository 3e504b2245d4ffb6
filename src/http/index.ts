export { buildServer } from './server.js';
export type { HttpContext } from './context.js';
export { ActiveTurns } from './active-turns.js';

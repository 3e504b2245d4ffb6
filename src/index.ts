/**
 * Rampart as a library: `createRampart` builds the server with tools registered in code; the
 * types below are what a tool, a stage or a provider written outside this package works with.
 */
export { createRampart } from './app/index.js';
export type { CreateRampartOptions, Rampart } from './app/index.js';
export { loadConfig } from './config/index.js';
export type { ConfigInput, RampartConfig } from './config/index.js';
export * from './core/index.js';
export type {
  ArgumentRule,
  DataClasses,
  ResolverAnswer,
  ResolverInput,
  ToolContext,
  ToolDefinition,
  ToolHandler,
  ToolPolicy,
  ToolResolver,
  ToolResult,
} from './tools/index.js';
export type { AuditEntry, AuditLog, AuditQuery, AuditVerdict } from './store/index.js';
export type { Provider, ProviderKind, ProviderCallOptions } from './providers/index.js';
export type { TurnStage, Turn, TurnEvent } from './runtime/index.js';

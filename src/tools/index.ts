/**
 * Tools: the registry with argument validation, the parallel runner, the built-in tools and
 * HTTP-backed tools.
 */
export type {
  DataClasses,
  ToolContext,
  ToolDefinition,
  ToolEvent,
  ToolHandler,
  ToolResult,
} from './types.js';
export * from './policy/index.js';
export { ToolRegistry, TOOL_NAME_PATTERN } from './tool-registry.js';
export { checkToolArguments, MAX_ARGUMENT_CHARS, type ArgumentsCheck } from './tool-arguments.js';
export { runToolCalls, type RunToolCallsOptions } from './run-tool-calls.js';
export { failedToolMessage, toToolMessage } from './tool-message.js';
export { failure as toolFailure, type ToolOutcome } from './tool-outcome.js';
export {
  builtinTools,
  calculatorTool,
  currentTimeTool,
  evaluateExpression,
  type BuiltinToolsOptions,
  type CurrentTimeOptions,
  type Evaluation,
} from './builtin/index.js';
export { createHttpTool, type HttpToolOptions } from './http/index.js';

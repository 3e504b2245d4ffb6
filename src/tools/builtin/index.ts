import type { ToolDefinition } from '../types.js';
import { calculatorTool } from './calculator.js';
import { currentTimeTool, type CurrentTimeOptions } from './current-time.js';

export { calculatorTool } from './calculator.js';
export { currentTimeTool, type CurrentTimeOptions } from './current-time.js';
export { evaluateExpression, type Evaluation } from './arithmetic.js';

export interface BuiltinToolsOptions {
  /** The clock `current_time` reads. Default `() => new Date()`. */
  clock?: CurrentTimeOptions['clock'];
}

/** The tools every Rampart instance ships with: `calculator` and `current_time`. */
export function builtinTools(options: BuiltinToolsOptions = {}): ToolDefinition[] {
  const timeOptions: CurrentTimeOptions = options.clock ? { clock: options.clock } : {};
  return [calculatorTool(), currentTimeTool(timeOptions)];
}

import type { ModelRequest, ToolChoice } from '../../core/index.js';
import type { ParsedToolChoice } from './request-schema.js';
import type { AnthropicToolChoice } from './wire-types.js';

/**
 * Neutral tool choice to Anthropic's `tool_choice`. The parallel flag rides on the choice itself
 * in Anthropic's format, so `parallelToolCalls: false` on its own must become `auto` with
 * `disable_parallel_tool_use`, never `any` (which would force a call), and `none` stays `none`.
 * Returns undefined when the request says nothing about either.
 */
export function toAnthropicToolChoice(
  request: Pick<ModelRequest, 'toolChoice' | 'parallelToolCalls'>,
): AnthropicToolChoice | undefined {
  const { toolChoice, parallelToolCalls } = request;
  const single = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};

  if (toolChoice === 'none') return { type: 'none' };
  if (toolChoice === 'required') return { type: 'any', ...single };
  if (typeof toolChoice === 'object') return { type: 'tool', name: toolChoice.name, ...single };
  if (toolChoice === 'auto' || parallelToolCalls === false) return { type: 'auto', ...single };
  return undefined;
}

/** Anthropic's `tool_choice` to the neutral choice and parallel flag. */
export function fromAnthropicToolChoice(choice: ParsedToolChoice): {
  toolChoice: ToolChoice;
  parallelToolCalls?: boolean;
} {
  const parallel =
    choice.type !== 'none' && choice.disable_parallel_tool_use === true
      ? { parallelToolCalls: false }
      : {};

  switch (choice.type) {
    case 'auto':
      return { toolChoice: 'auto', ...parallel };
    case 'any':
      return { toolChoice: 'required', ...parallel };
    case 'tool':
      return { toolChoice: { name: choice.name }, ...parallel };
    case 'none':
      return { toolChoice: 'none' };
  }
}

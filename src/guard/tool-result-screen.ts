import type { Principal, ToolMessage } from '../core/index.js';
import type { ToolResultScreen, Turn } from '../runtime/index.js';
import { toToolMessage, type ToolDefinition, type ToolResult } from '../tools/index.js';
import { classifiedValues, resultValues } from './classified-values.js';
import { maySee } from './clearances.js';
import { fenceAsData } from './fence.js';
import { noteVerdict, WITHHELD_TOOL_RESULT } from './input-stage.js';
import type { InputScreen } from './input-screen.js';

export interface ToolResultScreenOptions {
  screen: InputScreen;
  /** Data classes each role may see (`guard.output.clearances`). */
  clearances: Readonly<Record<string, readonly string[]>>;
}

/**
 * Learns what the output filter must treat specially from a classified result: values of classes
 * the principal may not see are hidden from its answers, and values of a result that belongs to
 * the principal are its own, never redacted from it.
 */
function learnClasses(
  turn: Turn,
  result: ToolResult,
  definition: ToolDefinition,
  options: ToolResultScreenOptions,
) {
  const classes = definition.dataClasses;
  if (!classes || !result.ok) return;
  const principal: Principal = turn.input.principal;
  const { values, owner } = classifiedValues(result.content, classes);
  if (owner !== undefined && owner === principal.userId) {
    turn.sensitive.own.push(...resultValues(result.content));
    return;
  }
  const hidden = values.filter((entry) => !maySee(principal, entry.label, options.clearances));
  turn.sensitive.hidden.push(...hidden);
}

/**
 * The screen every server-side tool result passes before the model reads it: the injection
 * check for indirect injection (a web page or email telling the assistant what to do), then the
 * result's data classes.
 */
export function toolResultScreen(options: ToolResultScreenOptions): ToolResultScreen {
  return async (turn, result, definition): Promise<ToolMessage> => {
    if (definition) learnClasses(turn, result, definition, options);
    const message = toToolMessage(result);
    if (!result.ok) return message;
    const verdict = await options.screen.screen(result.content, 'tool');
    noteVerdict(turn, 'tool', verdict);
    if (!verdict.attack || verdict.action === 'flag') return message;
    if (verdict.action === 'block')
      return { ...message, content: WITHHELD_TOOL_RESULT, isError: true };
    return { ...message, content: fenceAsData(result.content, 'tool') };
  };
}

import type { Principal, ToolMessage } from '../core/index.js';
import type { ToolResultScreen, Turn } from '../runtime/index.js';
import { toToolMessage, type DataClasses, type ToolResult } from '../tools/index.js';
import { classifiedValues, withholdClasses } from './classified-values.js';
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
 * the principal may not see are hidden from its answers; the values of its own records, and of
 * classes it is cleared for, are never redacted from it. A result with more classified values than are tracked one
 * by one reaches the model with those classes withheld; returns the content the model reads.
 */
function learnClasses(
  turn: Turn,
  result: ToolResult,
  classes: DataClasses,
  options: ToolResultScreenOptions,
): string {
  const principal: Principal = turn.input.principal;
  const hidden = (label: string) => !maySee(principal, label, options.clearances);
  const found = classifiedValues(result.content, classes, principal.userId);
  turn.sensitive.visible.push(...found.own);
  if (found.overflow) return withholdClasses(result.content, classes, hidden);
  for (const entry of found.values) {
    // A class the principal is cleared for is shown as it is, even where a pattern would match.
    if (hidden(entry.label)) turn.sensitive.hidden.push(entry);
    else turn.sensitive.visible.push(entry.value);
  }
  return result.content;
}

/**
 * The screen every server-side tool result passes before the model reads it: the injection
 * check for indirect injection (a web page or email telling the assistant what to do), then the
 * result's data classes.
 */
export function toolResultScreen(options: ToolResultScreenOptions): ToolResultScreen {
  return async (turn, result, definition): Promise<ToolMessage> => {
    const classes = result.ok ? definition?.dataClasses : undefined;
    const content = classes ? learnClasses(turn, result, classes, options) : result.content;
    const message = { ...toToolMessage(result), content };
    if (!result.ok) return message;
    const verdict = await options.screen.screen(content, 'tool');
    noteVerdict(turn, 'tool', verdict);
    if (!verdict.attack || verdict.action === 'flag') return message;
    if (verdict.action === 'block')
      return { ...message, content: WITHHELD_TOOL_RESULT, isError: true };
    return { ...message, content: fenceAsData(content, 'tool') };
  };
}

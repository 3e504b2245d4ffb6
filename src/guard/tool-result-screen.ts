import type { Principal, ToolMessage } from '../core/index.js';
import type { ToolResultScreen, Turn } from '../runtime/index.js';
import { toolFailure, toToolMessage, type DataClasses, type ToolResult } from '../tools/index.js';
import { classLabels, screenClasses } from './classified-values.js';
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
 * Applies a classified result's data classes for the principal (see `screenClasses`) and
 * returns the content the model reads.
 */
function applyClasses(
  turn: Turn,
  result: ToolResult,
  classes: DataClasses,
  options: ToolResultScreenOptions,
): string {
  const principal: Principal = turn.input.principal;
  const hidden = (label: string) => !maySee(principal, label, options.clearances);
  const screened = screenClasses(result.content, classes, { userId: principal.userId, hidden });
  if (screened.unreadable && screened.content !== result.content) {
    // Worth an operator's look: the tool's fields are declared for JSON it did not return.
    turn.logger.warn(
      { tool: result.name },
      'tool result is not JSON: its classified fields could not be found, so all of it was withheld',
    );
  }
  turn.sensitive.visible.push(...screened.visible);
  return screened.content;
}

/** Whether the principal may not see some class a tool's results are marked with. */
function hidesAny(
  principal: Principal,
  classes: DataClasses,
  options: ToolResultScreenOptions,
): boolean {
  return classLabels(classes).some((label) => !maySee(principal, label, options.clearances));
}

/**
 * A failed call's error with its message replaced: an HTTP tool's error quotes the start of
 * what the service answered, which for a classified tool may be a record of the very classes
 * the caller may not see (a 404 with the record in its body), and an error is not JSON the
 * fields could be found in.
 */
function withheldFailure(result: ToolResult): string {
  const message =
    'The tool failed; its answer is withheld, as it may hold data the caller may not see.';
  return toolFailure(result.errorCode ?? 'RAMPART_TOOL_FAILED', message).content;
}

/**
 * The screen every server-side tool result passes before the model reads it: the injection
 * check for indirect injection (a web page or email telling the assistant what to do), then the
 * result's data classes. A failed call is screened too: its error may quote what the service
 * answered (an HTTP tool's error holds the start of the body).
 */
export function toolResultScreen(options: ToolResultScreenOptions): ToolResultScreen {
  return async (turn, result, definition): Promise<ToolMessage> => {
    const classes = definition?.dataClasses;
    let content = result.content;
    if (classes && result.ok) content = applyClasses(turn, result, classes, options);
    else if (classes && hidesAny(turn.input.principal, classes, options)) {
      content = withheldFailure(result);
    }
    const message = { ...toToolMessage(result), content };
    const verdict = await options.screen.screen(content, 'tool');
    noteVerdict(turn, 'tool', verdict);
    if (!verdict.attack || verdict.action === 'flag') return message;
    if (verdict.action === 'block')
      return { ...message, content: WITHHELD_TOOL_RESULT, isError: true };
    return { ...message, content: fenceAsData(content, 'tool') };
  };
}

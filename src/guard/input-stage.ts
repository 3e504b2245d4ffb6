import { RampartError, textOf, type Message } from '../core/index.js';
import type { Turn, TurnStage } from '../runtime/index.js';
import { fenceAsData } from './fence.js';
import type { InjectionSource, InputScreen, ScreenVerdict } from './input-screen.js';

/** The text a withheld tool result is replaced with. */
export const WITHHELD_TOOL_RESULT = JSON.stringify({
  error: {
    code: 'RAMPART_INPUT_REJECTED',
    message: 'The tool result was withheld: it looked like instructions aimed at the assistant.',
  },
});

/**
 * The refusal of a user message, naming the request field it came in: a session turn's
 * `content`, a chat's `messages`.
 */
function refusal(verdict: ScreenVerdict, param: 'messages' | 'content'): RampartError {
  const rules = verdict.rules.join(', ');
  const score = verdict.score.toFixed(2);
  return new RampartError(
    'RAMPART_INPUT_REJECTED',
    `The message was refused by the prompt-injection check (rule: ${rules}; score ${score}). If this is a mistake, rephrase the request.`,
    { param },
  );
}

/** Records a flagged text on the turn, so logs and metrics can count it. */
export function noteVerdict(turn: Turn, source: InjectionSource, verdict: ScreenVerdict): void {
  if (!verdict.attack) return;
  const { action, score, rules } = verdict;
  turn.guard.flagged.push({ source, action, score, rules });
  turn.logger.info({ source, action, score, rules }, 'prompt-injection check flagged a text');
}

/** The message with the screen's action applied; `undefined` when it passes unchanged. */
function screened(
  message: Message,
  verdict: ScreenVerdict,
  param: 'messages' | 'content',
): Message | undefined {
  if (!verdict.attack || verdict.action === 'flag') return undefined;
  if (message.role === 'tool') {
    const content =
      verdict.action === 'block' ? WITHHELD_TOOL_RESULT : fenceAsData(message.content, 'tool');
    return { ...message, content };
  }
  if (message.role !== 'user') return undefined;
  if (verdict.action === 'block') throw refusal(verdict, param);
  const images = message.content.filter((part) => part.type !== 'text');
  const text = fenceAsData(textOf(message.content), 'user');
  return { role: 'user', content: [{ type: 'text', text }, ...images] };
}

function sourceOf(message: Message): InjectionSource | undefined {
  if (message.role === 'user') return 'user';
  if (message.role === 'tool') return 'tool';
  return undefined;
}

function textToCheck(message: Message): string {
  return message.role === 'tool'
    ? message.content
    : textOf(message.role === 'user' ? message.content : []);
}

/**
 * Checks every user message of the turn, and every tool result the client sent back, before the
 * model is called. A blocked user message refuses the turn with a 400 naming the rule; a fenced
 * one reaches the model marked as data. The session's stored history keeps the original text.
 */
export function guardInputStage(screen: InputScreen): TurnStage {
  return {
    name: 'guard-input',
    async prepare(turn) {
      const messages = turn.input.messages;
      const param = turn.input.sessionId === undefined ? 'messages' : 'content';
      for (const [index, message] of messages.entries()) {
        const source = sourceOf(message);
        if (!source || screen.actionFor(source) === 'off') continue;
        const verdict = await screen.screen(textToCheck(message), source);
        noteVerdict(turn, source, verdict);
        const replacement = screened(message, verdict, param);
        if (replacement) messages[index] = replacement;
      }
    },
  };
}

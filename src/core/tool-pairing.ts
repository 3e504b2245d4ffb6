import { RampartError } from './errors.js';

/**
 * Where a conversation's tool calls and results do not pair up: every call of an assistant
 * message answered by one result among the messages right after it, and every result answering
 * a call of that message. Both OpenAI and Anthropic refuse a conversation that breaks this, so
 * Rampart refuses it before a provider does, naming the message, in whichever format it arrived.
 */
interface ToolPairingProblem {
  /** Index of the message at fault, in the list given. */
  index: number;
  message: string;
}

/** One message as the check sees it: the calls it makes, or the call it answers. */
export type PairingMessage =
  | { kind: 'calls'; ids: readonly string[] }
  | { kind: 'results'; ids: readonly string[] }
  | { kind: 'other' };

/**
 * Throws `RAMPART_INVALID_REQUEST` naming the first message at fault (`param(index)`), if any.
 * With `mergeTurns`, consecutive messages of one role count as one, as Anthropic reads them:
 * an assistant's calls may be followed by more of its own text before the results.
 */
export function checkToolPairing(
  messages: readonly (PairingMessage & { role: string })[],
  options: { param: (index: number) => string; mergeTurns: boolean },
): void {
  const problem = pairingProblem(options.mergeTurns ? merged(messages) : messages);
  if (problem === undefined) return;
  const param = options.param(problem.index);
  throw new RampartError('RAMPART_INVALID_REQUEST', `Invalid '${param}': it ${problem.message}.`, {
    param,
  });
}

/** Consecutive messages of one role as one, at the index of the first. */
function merged(messages: readonly (PairingMessage & { role: string })[]) {
  const turns: (PairingMessage & { index: number })[] = [];
  let role: string | undefined;
  for (const [index, message] of messages.entries()) {
    const last = turns.at(-1);
    if (last !== undefined && message.role === role) {
      const ids = [...('ids' in last ? last.ids : []), ...('ids' in message ? message.ids : [])];
      const kind = message.kind !== 'other' ? message.kind : last.kind;
      turns[turns.length - 1] =
        kind === 'other' ? { kind, index: last.index } : { kind, ids, index: last.index };
      continue;
    }
    role = message.role;
    turns.push({ ...message, index });
  }
  return turns;
}

function pairingProblem(
  messages: readonly (PairingMessage & { index?: number })[],
): ToolPairingProblem | undefined {
  let open = new Map<string, number>();
  for (const [position, message] of messages.entries()) {
    const index = message.index ?? position;
    if (message.kind === 'results') {
      for (const id of message.ids) {
        if (!open.delete(id)) {
          return {
            index,
            message: `answers tool call '${clip(id)}', which no message just before it made`,
          };
        }
      }
      continue;
    }
    const unanswered = firstOf(open);
    if (unanswered !== undefined) {
      return {
        index: unanswered[1],
        message: `makes tool call '${clip(unanswered[0])}', which no result right after it answers`,
      };
    }
    open = new Map(message.kind === 'calls' ? message.ids.map((id) => [id, index]) : []);
  }
  const unanswered = firstOf(open);
  if (unanswered === undefined) return undefined;
  return {
    index: unanswered[1],
    message: `makes tool call '${clip(unanswered[0])}', which no tool result answers`,
  };
}

function firstOf(open: Map<string, number>): [string, number] | undefined {
  for (const entry of open) return entry;
  return undefined;
}

function clip(id: string): string {
  return id.length > 64 ? `${id.slice(0, 64)}…` : id;
}

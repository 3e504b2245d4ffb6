/**
 * Where a conversation's tool calls and results do not pair up: every call of an assistant
 * message answered by one result among the messages right after it, and every result answering
 * a call of that message. Both OpenAI and Anthropic refuse a conversation that breaks this, so
 * Rampart refuses it before a provider does, naming the message, in whichever format it arrived.
 */
export interface ToolPairingProblem {
  /** Index of the message at fault, in the list given. */
  index: number;
  message: string;
}

/** One message as the check sees it: the calls it makes, or the call it answers. */
export type PairingMessage =
  | { kind: 'calls'; ids: readonly string[] }
  | { kind: 'results'; ids: readonly string[] }
  | { kind: 'other' };

export function toolPairingProblem(
  messages: readonly PairingMessage[],
): ToolPairingProblem | undefined {
  let open = new Map<string, number>();
  for (const [index, message] of messages.entries()) {
    if (message.kind === 'results') {
      for (const id of message.ids) {
        if (!open.delete(id)) {
          return {
            index,
            message: `answers tool call '${clip(id)}', which no assistant message just before it made`,
          };
        }
      }
      continue;
    }
    const unanswered = firstOf(open);
    if (unanswered !== undefined) {
      return {
        index: unanswered[1],
        message: `makes tool call '${clip(unanswered[0])}', which no tool result right after it answers`,
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

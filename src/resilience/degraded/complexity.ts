import { textOf, type Message, type ModelRequest } from '../../core/index.js';

/** Whether a request is simple enough to be answered from a stored answer, and why not. */
export interface Complexity {
  complex: boolean;
  /** Each rule that made the request complex, e.g. `tools`, `long`. */
  reasons: string[];
}

/** More characters of conversation than this is a long request. */
const LONG_CHARACTERS = 2_000;
/** More user turns than this is a deep conversation. */
const DEEP_TURNS = 6;
/** Words that ask for reasoning over several steps, or for work rather than a fact. */
const MULTI_STEP =
  /\b(step[- ]by[- ]step|explain why|compare|analy[sz]e|prove|derive|debug|refactor|plan (?:a|an|the|my)|write (?:a|an|the) (?:program|function|script|essay|report|story))\b/i;
const CODE = /```|\b(?:function|class|def|import|SELECT)\b.*[({]/;

/**
 * A deterministic, explainable estimate in microseconds: a request is complex when it uses
 * tools or images, is long or deep, holds code, or asks for multi-step work. A complex request
 * is never answered from a stored answer in degraded mode: an old answer to work that depends on
 * details is more likely wrong than helpful, so it waits in the deferred queue instead.
 */
export function estimateComplexity(request: Pick<ModelRequest, 'messages' | 'tools'>): Complexity {
  const reasons: string[] = [];
  if ((request.tools?.length ?? 0) > 0 || request.messages.some(usesTools)) reasons.push('tools');
  if (request.messages.some(hasImage)) reasons.push('images');
  let characters = 0;
  let userTurns = 0;
  let userText = '';
  for (const message of request.messages) {
    const text = messageText(message);
    characters += text.length;
    if (message.role === 'user') {
      userTurns++;
      userText = text;
    }
  }
  if (characters > LONG_CHARACTERS) reasons.push('long');
  if (userTurns > DEEP_TURNS) reasons.push('deep conversation');
  if (CODE.test(userText)) reasons.push('code');
  if (MULTI_STEP.test(userText)) reasons.push('multi-step');
  return { complex: reasons.length > 0, reasons };
}

function usesTools(message: Message): boolean {
  return message.role === 'tool' || (message.role === 'assistant' && message.toolCalls.length > 0);
}

function hasImage(message: Message): boolean {
  return message.role === 'user' && message.content.some((part) => part.type === 'image');
}

function messageText(message: Message): string {
  return typeof message.content === 'string' ? message.content : textOf(message.content);
}

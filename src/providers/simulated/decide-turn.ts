import { textOf, type Message, type ModelRequest, type ToolCall } from '../../core/index.js';
import {
  plainAnswer,
  toolResultsAnswer,
  undeclaredToolsNote,
  type ToolOutcome,
} from './answer-text.js';
import { stripFaultDirectives } from './fault-grammar.js';
import type { Prng } from './prng.js';
import { findToolPhrases } from './tool-phrases.js';

/** What the model says in one turn, before it is cut into events. */
export interface TurnContent {
  textTokens: string[];
  toolCalls: ToolCall[];
}

/**
 * Decides the turn by plain rules: after tool results, report them; when the last user message
 * holds `call NAME {json}` phrases for declared tools, call them; otherwise answer in text.
 */
export function decideTurn(request: ModelRequest, prng: Prng, answerTokens: number): TurnContent {
  const { messages } = request;
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    return { textTokens: toolResultsAnswer(trailingOutcomes(messages)), toolCalls: [] };
  }
  const userText = lastUserText(messages);
  if (last?.role !== 'user' || request.toolChoice === 'none') {
    return { textTokens: plainAnswer(userText, answerTokens, prng), toolCalls: [] };
  }
  const { calls, undeclared } = requestedCalls(request, userText);
  const note = undeclaredToolsNote(undeclared);
  if (calls.length === 0) {
    const answer = plainAnswer(userText, answerTokens, prng);
    // After a note, the answer is a new sentence: it needs the space its first token lacks.
    if (note.length > 0 && answer[0] !== undefined) answer[0] = ` ${answer[0]}`;
    return { textTokens: [...note, ...answer], toolCalls: [] };
  }
  const toolCalls = calls.map((call) => ({ id: `call_${prng.hex(24)}`, ...call }));
  return { textTokens: note, toolCalls };
}

type RequestedCall = Omit<ToolCall, 'id'>;

function requestedCalls(request: ModelRequest, userText: string) {
  const declared = new Set((request.tools ?? []).map((tool) => tool.name));
  const phrases = findToolPhrases(userText);
  const undeclared = [...new Set(phrases.map((p) => p.name).filter((n) => !declared.has(n)))];
  let calls: RequestedCall[] = phrases.filter((phrase) => declared.has(phrase.name));
  const choice = request.toolChoice;
  if (typeof choice === 'object') calls = calls.filter((call) => call.name === choice.name);
  if (calls.length === 0) calls = forcedCall(request, declared);
  if (request.parallelToolCalls === false) calls = calls.slice(0, 1);
  return { calls, undeclared };
}

/** `required` or a named tool forces a call even without a phrase, as the real APIs do. */
function forcedCall(request: ModelRequest, declared: Set<string>): RequestedCall[] {
  const choice = request.toolChoice;
  if (typeof choice === 'object')
    return declared.has(choice.name) ? [{ name: choice.name, arguments: '{}' }] : [];
  const first = request.tools?.[0];
  return choice === 'required' && first ? [{ name: first.name, arguments: '{}' }] : [];
}

function lastUserText(messages: readonly Message[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user') return stripFaultDirectives(textOf(message.content));
  }
  return '';
}

/** The tool messages that end the conversation, named after the calls they answer. */
function trailingOutcomes(messages: readonly Message[]): ToolOutcome[] {
  let start = messages.length;
  while (start > 0 && messages[start - 1]?.role === 'tool') start--;
  const before = messages[start - 1];
  const calls = before?.role === 'assistant' ? before.toolCalls : [];
  return messages.slice(start).flatMap((message) => {
    if (message.role !== 'tool') return [];
    const name = calls.find((call) => call.id === message.toolCallId)?.name ?? message.toolCallId;
    return [{ name, content: message.content, isError: message.isError === true }];
  });
}

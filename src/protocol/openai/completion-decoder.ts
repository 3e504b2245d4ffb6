import { RampartError, toRampartError, type ModelEvent } from '../../core/index.js';
import { fromOpenAIFinishReason } from './finish-reason.js';
import { errorFromPayload } from './inband-error.js';
import { ToolCallAssembler } from './tool-call-assembler.js';
import { fromOpenAIUsage } from './usage.js';
import { asRecord, asText } from './wire-values.js';

/**
 * Decodes a non-streaming `chat.completion` body into the same events a stream would give:
 * text, each tool call (start, arguments, end), usage, then `finish`. An error body, a body
 * without a choice, or tool arguments sent as an object nested too deep, give a single `error`
 * event.
 */
export function decodeChatCompletion(json: unknown): ModelEvent[] {
  const body = asRecord(json);
  if (body?.error != null) return [failure(errorFromPayload(body))];

  const choices = Array.isArray(body?.choices) ? body.choices : [];
  const choice = choices.map(asRecord).find((entry) => (entry?.index ?? 0) === 0);
  if (!choice) {
    const error = new RampartError(
      'RAMPART_UPSTREAM_BAD_RESPONSE',
      'Upstream completion has no choice',
    );
    return [failure(error)];
  }

  const message = asRecord(choice.message) ?? {};
  const events: ModelEvent[] = [];
  const text = asText(message.content) ?? asText(message.refusal);
  if (text !== undefined) events.push({ type: 'text-delta', text });

  const calls = new ToolCallAssembler();
  try {
    events.push(...calls.add(message.tool_calls));
  } catch (error) {
    return [failure(toRampartError(error, 'RAMPART_UPSTREAM_BAD_RESPONSE'))];
  }
  const hadCalls = calls.hasCalls;
  events.push(...calls.finish());

  const usage = fromOpenAIUsage(body?.usage);
  if (usage) events.push({ type: 'usage', usage });
  const reason = asText(choice.finish_reason) ?? 'stop';
  events.push({ type: 'finish', reason: fromOpenAIFinishReason(reason, hadCalls) });
  return events;
}

function failure(error: RampartError): ModelEvent {
  return { type: 'error', error, beforeContent: true };
}

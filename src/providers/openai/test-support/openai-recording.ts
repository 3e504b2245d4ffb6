/**
 * Builders for recorded-style OpenAI Chat Completions streams: chunk objects shaped as the API
 * reference documents them, framed as server-sent events.
 */

const head = {
  id: 'chatcmpl-rec',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-test',
  system_fingerprint: 'fp_test',
};

/** One chunk's JSON with a single choice; `usage: null` as in a stream that asked for usage. */
export function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return JSON.stringify({
    ...head,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  });
}

/** The extra last chunk of `stream_options.include_usage`. */
export function usageChunk(prompt: number, completion: number, cached = 0): string {
  return JSON.stringify({
    ...head,
    choices: [],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: completion,
      total_tokens: prompt + completion,
      prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
  });
}

/** A tool-call fragment: id, type and name only on the first one. */
export function toolCall(index: number, fragment: { id?: string; name?: string; args: string }) {
  const first = fragment.id === undefined ? {} : { id: fragment.id, type: 'function' };
  const fn = fragment.name === undefined ? {} : { name: fragment.name };
  return { index, ...first, function: { ...fn, arguments: fragment.args } };
}

/** Frames payloads as `data:` events; `lineEnd` picks LF or CRLF framing. */
export function sse(payloads: readonly string[], lineEnd = '\n'): string {
  return payloads.map((payload) => `data: ${payload}${lineEnd}${lineEnd}`).join('');
}

/** The opening chunk OpenAI sends before any text. */
export const roleChunk = chunk({ role: 'assistant', content: '', refusal: null });

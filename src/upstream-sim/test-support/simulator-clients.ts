import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { UpstreamSimulator } from '../upstream-simulator.js';

/** The official OpenAI client aimed at a simulator, with retries off so faults stay visible. */
export function openAIClient(simulator: UpstreamSimulator, options: { timeout?: number } = {}) {
  return new OpenAI({
    baseURL: `${simulator.url}/v1`,
    apiKey: 'sk-test-only',
    maxRetries: 0,
    ...options,
  });
}

/** The official Anthropic client aimed at a simulator, with retries off. */
export function anthropicClient(simulator: UpstreamSimulator, options: { timeout?: number } = {}) {
  return new Anthropic({
    baseURL: simulator.url,
    apiKey: 'sk-ant-test-only',
    maxRetries: 0,
    ...options,
  });
}

/** Tools declared in OpenAI's shape. */
export const OPENAI_TOOLS = ['calculator', 'current_time'].map((name) => ({
  type: 'function' as const,
  function: { name, parameters: { type: 'object', properties: {} } },
}));

/** The same tools in Anthropic's shape. */
export const ANTHROPIC_TOOLS = ['calculator', 'current_time'].map((name) => ({
  name,
  input_schema: { type: 'object' as const, properties: {} },
}));

/** A message asking for two parallel calls, with a brace inside a string argument. */
export const TWO_CALLS =
  'call calculator {"expression": "6*7"} then call current_time {"zone": "{UTC}"}';

/** POSTs JSON with fetch and returns the status, headers and whole body text. */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/**
 * Reads a streamed body until it ends or fails; returns the text received and the failure. A
 * cut connection shows up as a failure after some text.
 */
export async function readUntilEnd(response: Response): Promise<{ text: string; failed: boolean }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, failed: false };
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, failed: true };
  }
}

/** The SSE blocks of a stream body, without the blank lines between them. */
export function sseBlocks(text: string): string[] {
  return text.split('\n\n').filter((block) => block !== '');
}

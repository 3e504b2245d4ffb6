import type { ModelEvent, ModelRequest } from '../../../core/index.js';
import {
  startScriptServer,
  type ResponseScript,
  type ScriptServer,
} from '../../http/test-support/script-server.js';
import type { Provider } from '../../provider.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from '../openai-provider.js';

/** Providers and servers opened by the current test, closed in the order they were opened. */
const opened: { close(): Promise<void> }[] = [];

/** Closes everything the test opened; use as `afterEach(closeAll)`. */
export async function closeAll(): Promise<void> {
  for (const resource of opened.splice(0)) await resource.close();
}

/** Registers a provider made outside {@link setup} so that {@link closeAll} closes it. */
export function track(provider: Provider): Provider {
  opened.push(provider);
  return provider;
}

/** Starts a scripted upstream and an openai provider pointed at it. */
export async function setup(
  script: ResponseScript,
  options: Partial<OpenAIProviderOptions> = {},
): Promise<{ server: ScriptServer; provider: Provider }> {
  const server = await startScriptServer(script);
  const provider = createOpenAIProvider({
    name: 'test-openai',
    baseUrl: `${server.origin}/v1`,
    apiKey: 'sk-test',
    ...options,
  });
  opened.push(provider, server);
  return { server, provider };
}

export const request: ModelRequest = {
  model: 'gpt-test',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }],
  maxTokens: 64,
};

/** Runs the standard request and returns every event. */
export async function run(target: Provider, signal?: AbortSignal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of target.stream(request, { signal })) events.push(event);
  return events;
}

/** The stream's last event, with an error reduced to the fields a test checks. */
export function ending(events: ModelEvent[]) {
  const last = events.at(-1);
  if (last?.type !== 'error') return last;
  const { code, upstreamStatus, retryAfterSeconds } = last.error;
  return {
    type: 'error',
    code,
    upstreamStatus,
    retryAfterSeconds,
    beforeContent: last.beforeContent,
  };
}

export const texts = (events: ModelEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));

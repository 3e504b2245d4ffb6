import type { ConfigInput } from '../../config/index.js';
import type { Message } from '../../core/conversation.js';
import type { ModelCallRequest, TurnStage } from '../../runtime/index.js';
import type { ToolDefinition } from '../../tools/index.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../../upstream-sim/index.js';
import { startTestServer, type TestServer } from './harness.js';

/** The window of the assistant's model in the pruning suites, and what is kept for the answer. */
export const WINDOW = 4_096;
export const RESERVE = 512;
export const SYSTEM_PROMPT = 'You are the pruning-suite assistant. Answer briefly.';

/** A request the assistant's model was about to receive, as the last stage saw it. */
export interface SeenRequest {
  sessionId: string | undefined;
  request: ModelCallRequest;
}

/**
 * A Rampart whose assistant model (`big`, window 4,096) and summary model (`small`) are two
 * upstream simulators, so the suites read what each was sent; a last stage records every
 * request after pruning shaped it.
 */
export interface PruningRig {
  big: UpstreamSimulator;
  small: UpstreamSimulator;
  server: TestServer;
  key: string;
  seen: SeenRequest[];
  /** The model calls each settled turn recorded, by session. */
  usages: Array<{ sessionId: string | undefined; targets: string[] }>;
  close(): Promise<void>;
}

export interface PruningRigOptions {
  tools?: ToolDefinition[];
  /** Reuse a data directory, and keep it, to test restarts. */
  dataDir?: string;
  /** Simulators to reuse across a restart. */
  simulators?: { big: UpstreamSimulator; small: UpstreamSimulator };
  /** Config merged over the rig's (top-level keys replace the rig's). */
  config?: Partial<ConfigInput>;
}

export async function startPruningRig(options: PruningRigOptions = {}): Promise<PruningRig> {
  const big = options.simulators?.big ?? (await startUpstreamSimulator({ answerTokens: 8 }));
  const small = options.simulators?.small ?? (await startUpstreamSimulator({ answerTokens: 40 }));
  const seen: SeenRequest[] = [];
  const usages: PruningRig['usages'] = [];
  const observer: TurnStage = {
    name: 'observer',
    shapeRequest(turn, request) {
      seen.push({ sessionId: turn.input.sessionId, request });
      return request;
    },
    settle(turn) {
      const targets = turn.modelUsage.map((fact) => fact.target);
      usages.push({ sessionId: turn.input.sessionId, targets });
    },
  };
  const server = await startTestServer({
    config: { ...rigConfig(big, small, options.tools ?? []), ...options.config },
    tools: options.tools ?? [],
    stages: [observer],
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir, keepData: true }),
  });
  const key = await server.key('pia');
  return {
    big,
    small,
    server,
    key,
    seen,
    usages,
    async close() {
      await server.close();
      if (!options.simulators) await Promise.all([big.close(), small.close()]);
    },
  };
}

function rigConfig(
  big: UpstreamSimulator,
  small: UpstreamSimulator,
  tools: ToolDefinition[],
): ConfigInput {
  return {
    providers: {
      big: { type: 'openai', baseUrl: `${big.url}/v1`, apiKey: 'sk-test' },
      small: { type: 'openai', baseUrl: `${small.url}/v1`, apiKey: 'sk-test' },
    },
    models: {
      big: { provider: 'big', model: 'rampart-sim-1', contextWindow: WINDOW },
      small: { provider: 'small', model: 'rampart-sim-1' },
    },
    assistants: {
      default: { model: 'big', systemPrompt: SYSTEM_PROMPT, tools: tools.map((t) => t.name) },
    },
    pruning: {
      summaryModel: 'small',
      recentTurns: 2,
      outputReserveTokens: RESERVE,
      budgets: { system: 100, summary: 400, recent: 300, toolResults: 200 },
    },
    // Random and hostile text must reach pruning, not be refused by the injection check first.
    guard: { input: { user: 'off' } },
    resilience: {
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      breaker: { enabled: false },
      degraded: { cache: { enabled: false } },
    },
  };
}

/** The text of a recorded OpenAI-format message's content. */
export function wireText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: string }) => part.text ?? '').join('');
}

/** The user message of each summary request the summary model received, in order. */
export function summaryInputs(rig: PruningRig): string[] {
  return rig.small.requests().map((recorded) => {
    const body = recorded.body as { messages: Array<{ role: string; content: unknown }> };
    return wireText(body.messages.find((message) => message.role === 'user')?.content);
  });
}

/** The system message that carries the summary in a request, if any. */
export function summaryIn(request: ModelCallRequest): string | undefined {
  const message = request.messages.find(
    (candidate): candidate is Extract<Message, { role: 'system' }> =>
      candidate.role === 'system' && candidate.content.startsWith('Summary of the earlier'),
  );
  return message?.content;
}

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { ConfigInput } from '../../config/index.js';
import type { SimulatedFaultRule } from '../../providers/simulated/index.js';
import {
  startUpstreamSimulator,
  type RecordedRequest,
  type UpstreamSimulator,
} from '../../upstream-sim/index.js';
import { readSse, startTestServer, type TestServer } from './harness.js';

/** Words in every simulated answer: short, so a whole suite of streams stays fast. */
export const ANSWER_TOKENS = 12;

/** The provider model every target names; `x-rampart-served-by` is `<provider>/<this>`. */
export const SIM_MODEL = 'rampart-sim-1';

/** Phase timeouts of both providers: small, so hangs and stalls cost well under a second. */
export const TIMEOUTS = { connectMs: 500, firstByteMs: 400, idleMs: 300 } as const;

/** The retry policy of the suite: two attempts per target, short backoff. */
export const RETRY = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1500 };

/** A fault rule for simulator A, without its `match` (each test brings its own). */
export type ChaosFault = Omit<SimulatedFaultRule, 'match'>;

/**
 * Two upstream simulators behind one Rampart: A speaks Anthropic's format, B OpenAI's. Faults go
 * on A only, matched on a string unique to each test, so B stays healthy throughout. A third
 * simulator with the same seed, never behind Rampart, gives the clean answer to any conversation
 * without adding requests to A's or B's log.
 */
export interface ChaosRig {
  a: UpstreamSimulator;
  b: UpstreamSimulator;
  server: TestServer;
  key: string;
  /** The official OpenAI client aimed at Rampart, retries off. */
  client: OpenAI;
  /** A port that was bound on loopback and closed again: connecting to it is refused. */
  refusedPort: number;
  close(): Promise<void>;
}

type BreakerConfig = NonNullable<NonNullable<ConfigInput['resilience']>['breaker']>;

export interface ChaosRigOptions {
  /** The `resilience.breaker` section; default disabled. */
  breaker?: BreakerConfig;
}

/** Starts the simulators and a Rampart configured with the suite's routes. */
export async function startChaosRig(options: ChaosRigOptions = {}): Promise<ChaosRig> {
  const [a, b, reference] = await Promise.all([
    startUpstreamSimulator({ answerTokens: ANSWER_TOKENS }),
    startUpstreamSimulator({ answerTokens: ANSWER_TOKENS }),
    startUpstreamSimulator({ answerTokens: ANSWER_TOKENS }),
  ]);
  const refusedPort = await closedPort();
  const server = await startTestServer({
    config: chaosConfig({ a, b, refusedPort, breaker: options.breaker }),
  });
  const key = await server.key('chaos');
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
  referenceBySimulator.set(a, reference);
  return {
    a,
    b,
    server,
    key,
    client,
    refusedPort,
    async close() {
      await server.close();
      await Promise.all([a.close(), b.close(), reference.close()]);
    },
  };
}

interface ConfigParts {
  a: UpstreamSimulator;
  b: UpstreamSimulator;
  refusedPort: number;
  breaker: BreakerConfig | undefined;
}

/**
 * Routes: `chain` (A, then B), `chain-continue` (the same, continuing a cut answer on B), `solo`
 * (A only), `refused-first` (a closed port, then B) and `chain-on-status` (A, then B, with
 * `fallbackOnStatus: [401, 429]`).
 */
function chaosConfig(parts: ConfigParts): ConfigInput {
  const { a, b, refusedPort } = parts;
  const toB = [{ provider: 'b', model: SIM_MODEL }];
  return {
    providers: {
      a: { type: 'anthropic', baseUrl: a.url, apiKey: 'ak-test', timeouts: TIMEOUTS },
      b: { type: 'openai', baseUrl: `${b.url}/v1`, apiKey: 'sk-test', timeouts: TIMEOUTS },
      refused: {
        type: 'anthropic',
        baseUrl: `http://127.0.0.1:${refusedPort}`,
        apiKey: 'ak-test',
        timeouts: TIMEOUTS,
      },
    },
    models: {
      chain: { provider: 'a', model: SIM_MODEL, fallbacks: toB },
      'chain-continue': {
        provider: 'a',
        model: SIM_MODEL,
        fallbacks: toB,
        continueOnFailure: true,
      },
      solo: { provider: 'a', model: SIM_MODEL },
      'refused-first': { provider: 'refused', model: SIM_MODEL, fallbacks: toB },
      'chain-on-status': {
        provider: 'a',
        model: SIM_MODEL,
        fallbacks: toB,
        fallbackOnStatus: [401, 429],
      },
    },
    resilience: {
      retry: RETRY,
      breaker: parts.breaker ?? { enabled: false },
      // A stored answer would hide whether a route really went down.
      degraded: { cache: { enabled: false } },
    },
  };
}

/** Binds a loopback port, then closes it, so that nothing listens there. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
  return port;
}

const referenceBySimulator = new WeakMap<UpstreamSimulator, UpstreamSimulator>();

/** A conversation as the client sends it, plus the tools it declares. */
export interface Ask {
  content: string;
  tools?: OpenAI.ChatCompletionTool[];
}

/**
 * The answer a healthy upstream gives to `ask`, from the reference simulator (same seed as A and
 * B), so it adds nothing to their request logs.
 */
export async function cleanAnswer(rig: ChaosRig, ask: Ask): Promise<string> {
  const reference = referenceBySimulator.get(rig.a);
  if (!reference) throw new Error('cleanAnswer needs a rig from startChaosRig');
  const direct = new OpenAI({ baseURL: `${reference.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
  const completion = await direct.chat.completions.create({
    model: SIM_MODEL,
    messages: [{ role: 'user', content: ask.content }],
    ...(ask.tools ? { tools: ask.tools } : {}),
  });
  return completion.choices[0]?.message.content ?? '';
}

/** The requests a simulator recorded whose body holds `match`: this test's requests only. */
export function requestsFor(simulator: UpstreamSimulator, match: string): RecordedRequest[] {
  return simulator
    .requests()
    .filter((request) => JSON.stringify(request.body ?? '').includes(match));
}

/**
 * Waits until every request of this test has ended on both simulators (a request Rampart gave up
 * on ends a moment after the client's answer), and returns them.
 */
export async function settledRequests(rig: ChaosRig, match: string) {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const a = requestsFor(rig.a, match);
    const b = requestsFor(rig.b, match);
    const open = [...a, ...b].some((request) => request.outcome === 'open');
    if (!open || Date.now() > deadline) return { a, b };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Posts a chat completion to Rampart with fetch, for tests that read raw frames or statuses. */
export function postChat(
  rig: ChaosRig,
  body: { model: string; stream: boolean } & Ask,
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${rig.server.url}/v1/chat/completions`, {
    method: 'POST',
    ...(signal ? { signal } : {}),
    headers: { authorization: `Bearer ${rig.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: body.model,
      stream: body.stream,
      messages: [{ role: 'user', content: body.content }],
      ...(body.tools ? { tools: body.tools } : {}),
    }),
  });
}

/** What a streaming client saw, read from the raw frames of one response. */
export interface StreamSeen {
  text: string;
  /** Chunks that carried `delta.role`: a clean stream has exactly one. */
  roleChunks: number;
  finishReasons: string[];
  done: boolean;
  /** The `error` object of a terminal error frame, if one came. */
  error: { code?: string; message?: string } | undefined;
  /** Tool call deltas that carried an id, in order: an id sent twice shows up twice. */
  toolCallIds: string[];
  /** The tool calls, assembled by index from their deltas. */
  toolCalls: { id: string; name: string; arguments: string }[];
  /** Frames after an error frame (a clean failure has none). */
  framesAfterError: number;
}

/** Reads a whole streamed chat completion and sums up what the client saw. */
export async function readChatStream(response: Response): Promise<StreamSeen> {
  const seen: StreamSeen = {
    text: '',
    roleChunks: 0,
    finishReasons: [],
    done: false,
    error: undefined,
    toolCallIds: [],
    toolCalls: [],
    framesAfterError: 0,
  };
  for (const event of await readSse(response)) {
    if (seen.error || seen.done) seen.framesAfterError++;
    if (event.data === '[DONE]') {
      seen.done = true;
      continue;
    }
    addChunk(seen, JSON.parse(event.data));
  }
  return seen;
}

function addChunk(seen: StreamSeen, chunk: any): void {
  if (chunk.error) {
    seen.error = chunk.error;
    return;
  }
  const choice = chunk.choices?.[0];
  if (!choice) return;
  if (choice.delta?.role) seen.roleChunks++;
  seen.text += choice.delta?.content ?? '';
  if (choice.finish_reason) seen.finishReasons.push(choice.finish_reason);
  for (const call of choice.delta?.tool_calls ?? []) {
    if (call.id) seen.toolCallIds.push(call.id);
    seen.toolCalls[call.index] ??= { id: '', name: '', arguments: '' };
    const assembled = seen.toolCalls[call.index]!;
    assembled.id += call.id ?? '';
    assembled.name += call.function?.name ?? '';
    assembled.arguments += call.function?.arguments ?? '';
  }
}

/** The kinds of client the suite asks through. */
export type ClientKind = 'sdk-stream' | 'raw-stream' | 'whole';

/** What any kind of client saw; fields a kind cannot see stay undefined. */
export interface ClientSeen {
  status: number;
  servedBy: string | null;
  text: string;
  finishReasons: string[];
  errorCode: string | undefined;
  roleChunks: number | undefined;
  done: boolean | undefined;
  framesAfterError: number | undefined;
}

/** Asks Rampart through one kind of client and sums up what that client saw. */
export async function askAs(
  rig: ChaosRig,
  kind: ClientKind,
  body: { model: string } & Ask,
): Promise<ClientSeen> {
  if (kind === 'sdk-stream') return askWithSdk(rig, body);
  const response = await postChat(rig, { ...body, stream: kind === 'raw-stream' });
  const servedBy = response.headers.get('x-rampart-served-by');
  if (response.status !== 200 || kind === 'whole') {
    return { ...(await wholeSeen(response)), servedBy };
  }
  const seen = await readChatStream(response);
  return {
    status: response.status,
    servedBy,
    text: seen.text,
    finishReasons: seen.finishReasons,
    errorCode: seen.error?.code,
    roleChunks: seen.roleChunks,
    done: seen.done,
    framesAfterError: seen.framesAfterError,
  };
}

async function wholeSeen(response: Response): Promise<Omit<ClientSeen, 'servedBy'>> {
  const body = (await response.json()) as any;
  const choice = body.choices?.[0];
  return {
    status: response.status,
    text: choice?.message?.content ?? '',
    finishReasons: choice?.finish_reason ? [choice.finish_reason] : [],
    errorCode: body.error?.code,
    roleChunks: undefined,
    done: undefined,
    framesAfterError: undefined,
  };
}

/** Streams with the official `openai` client, as an application would. */
async function askWithSdk(rig: ChaosRig, body: { model: string } & Ask): Promise<ClientSeen> {
  const seen: ClientSeen = {
    status: 0,
    servedBy: null,
    text: '',
    finishReasons: [],
    errorCode: undefined,
    roleChunks: 0,
    done: undefined,
    framesAfterError: undefined,
  };
  try {
    const { data, response } = await rig.client.chat.completions
      .create({
        model: body.model,
        stream: true,
        messages: [{ role: 'user', content: body.content }],
        ...(body.tools ? { tools: body.tools } : {}),
      })
      .withResponse();
    seen.status = response.status;
    seen.servedBy = response.headers.get('x-rampart-served-by');
    for await (const chunk of data) {
      const choice = chunk.choices[0];
      if (choice?.delta.role) seen.roleChunks! += 1;
      seen.text += choice?.delta.content ?? '';
      if (choice?.finish_reason) seen.finishReasons.push(choice.finish_reason);
    }
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    // A failure before any content has a status; an error event inside the stream has none.
    if (error.status !== undefined) seen.status = error.status;
    seen.errorCode = typeof error.code === 'string' ? error.code : undefined;
  }
  return seen;
}

/**
 * A match string no other test uses: it names the test's requests in both simulators. The `x`
 * after the number keeps `zq1x…` from being found inside `zq12x…`.
 */
export function uniqueMatch(label: string): string {
  matchCounter++;
  return `zq${matchCounter}x${label.replace(/[^a-z0-9]/gi, '').slice(0, 12)}`;
}

let matchCounter = 0;

/** The user message of a test: it carries the test's match string. */
export function messageFor(match: string): string {
  return `Tell me about ${match} please`;
}

/** Puts `fault` on A (alone) for requests carrying `match`, and returns the message to send. */
export function faultOnA(rig: ChaosRig, fault: ChaosFault, match: string): string {
  rig.a.setFaults([{ ...fault, match }]);
  return messageFor(match);
}

/** A fault on A for one new message: its match, the message, and the clean answer to it. */
export async function faulted(rig: ChaosRig, label: string, fault: ChaosFault) {
  const match = uniqueMatch(label);
  const content = faultOnA(rig, fault, match);
  return { match, content, clean: await cleanAnswer(rig, { content }) };
}

import { RampartError, textOf, type ModelEvent, type ModelRequest } from '../../core/index.js';
import { continueTurn, findContinuation } from './continuation.js';
import { decideTurn } from './decide-turn.js';
import { estimateInputTokens } from '../../core/token-estimate.js';
import type { SimulatedFault, SimulatedFaultRule } from './fault.js';
import { createFaultSelector } from './fault-selector.js';
import { createPrng, hashText } from './prng.js';
import { turnEvents } from './turn-events.js';
import { streamWithFault } from './stream-with-fault.js';

/** The model id the simulator reports when a request names no simulated model. */
export const SIMULATED_MODEL_ID = 'rampart-sim-1';

/** Options of the simulated model. */
export interface SimulatedModelOptions {
  /** Seed of every random choice; same seed and request give the same events. Default 1. */
  seed?: number;
  /** Milliseconds before the first event. Default 0. */
  firstTokenMs?: number;
  /** Output tokens per second after the first; 0 streams as fast as possible. Default 0. */
  tokensPerSecond?: number;
  /** Tokens in a plain text answer. Default 30. */
  answerTokens?: number;
  /** Faults applied to matching requests (see `SimulatedFaultRule`). Default none. */
  faults?: SimulatedFaultRule[];
}

/** The options with every default filled in. */
export type SimulatedModelSettings = Required<SimulatedModelOptions>;

export interface SimulatedStreamOptions {
  signal?: AbortSignal;
  /**
   * The fault to inject. Absent: chosen from the message directive and the configured rules.
   * `null`: none, whatever the message says.
   */
  fault?: SimulatedFault | null;
  /** Skip pacing: events come as fast as possible. Default false. */
  unpaced?: boolean;
}

/** A deterministic stand-in for a model. */
export interface SimulatedModel {
  readonly settings: Readonly<SimulatedModelSettings>;
  /**
   * The events of a clean answer to `request`, without timing or faults. When the request ends
   * with an assistant message holding only text, the answer continues that text: the rest of the
   * answer planned without it when it is that answer's start, else a short continuation.
   */
  plan(request: ModelRequest): ModelEvent[];
  /** The fault `request` gets from its directive or the configured rules, if any. */
  chooseFault(request: ModelRequest): SimulatedFault | undefined;
  /**
   * Replaces the fault rules (`settings.faults` follows). The rules are checked as at creation: a
   * bad one throws `RAMPART_CONFIG_INVALID` naming it (`faults[2]: …`), and nothing changes. The
   * probability draws restart from the seed, so the pattern of faults after a change does not
   * depend on the traffic before it.
   */
  setFaults(rules: readonly SimulatedFaultRule[]): void;
  /**
   * Streams the answer on the simulated clock, with any fault turned into the neutral outcome a
   * real provider client would report. Ends with `finish` or `error`; never throws.
   */
  stream(request: ModelRequest, options?: SimulatedStreamOptions): AsyncGenerator<ModelEvent, void>;
}

/** Creates a simulated model. Throws `RAMPART_CONFIG_INVALID` for a bad option. */
export function createSimulatedModel(options: SimulatedModelOptions = {}): SimulatedModel {
  let settings = checkSettings(options);
  let selectFault = createFaultSelector(settings.faults, settings.seed);
  const model: SimulatedModel = {
    get settings() {
      return settings;
    },
    plan: (request) => planEvents(request, settings),
    chooseFault: (request) => selectFault(lastUserText(request)),
    setFaults(rules) {
      const faults = rules.map((rule) => ({ ...rule }));
      selectFault = createFaultSelector(faults, settings.seed);
      settings = Object.freeze({ ...settings, faults });
    },
    stream(request, streamOptions = {}) {
      const fault =
        streamOptions.fault === undefined ? model.chooseFault(request) : streamOptions.fault;
      return streamWithFault(() => model.plan(request), {
        fault: fault ?? undefined,
        signal: streamOptions.signal,
        firstTokenMs: streamOptions.unpaced === true ? 0 : settings.firstTokenMs,
        tokensPerSecond: streamOptions.unpaced === true ? 0 : settings.tokensPerSecond,
      });
    },
  };
  return model;
}

/**
 * Plans the answer. A request ending in a text-only assistant message is a continuation: the
 * answer is planned for the conversation before that message, with the same seed, so a client
 * that resends a cut answer as a prefill gets exactly the rest of it.
 */
function planEvents(request: ModelRequest, settings: SimulatedModelSettings): ModelEvent[] {
  const continuation = findContinuation(request);
  const asked = continuation?.asked ?? request;
  const prng = createPrng(hashText(requestKey(asked), settings.seed));
  let content = decideTurn(asked, prng, settings.answerTokens);
  if (continuation) {
    // Its own generator, so that a continuation off the plan depends on the prefill too.
    const ownPrng = createPrng(hashText(requestKey(request), settings.seed));
    const { answerTokens } = settings;
    content = continueTurn(content, continuation.prefill, { prng: ownPrng, answerTokens });
  }
  const inputTokens = estimateInputTokens(request);
  const { maxTokens, stop } = request;
  return turnEvents(content, { maxTokens, inputTokens, prng, ...(stop ? { stop } : {}) });
}

/** What makes two requests the same to the model: everything but the sampling limits. */
function requestKey(request: ModelRequest): string {
  const tools = request.tools?.map((tool) => tool.name) ?? [];
  return JSON.stringify([
    request.messages,
    tools,
    request.toolChoice ?? null,
    request.seed ?? null,
  ]);
}

function lastUserText(request: ModelRequest): string {
  const message = request.messages.findLast((candidate) => candidate.role === 'user');
  return message?.role === 'user' ? textOf(message.content) : '';
}

function checkSettings(options: SimulatedModelOptions): SimulatedModelSettings {
  const settings: SimulatedModelSettings = {
    seed: options.seed ?? 1,
    firstTokenMs: options.firstTokenMs ?? 0,
    tokensPerSecond: options.tokensPerSecond ?? 0,
    answerTokens: options.answerTokens ?? 30,
    faults: options.faults ?? [],
  };
  requireNumber('seed', settings.seed, Number.isInteger(settings.seed));
  requireNumber('firstTokenMs', settings.firstTokenMs, settings.firstTokenMs >= 0);
  requireNumber('tokensPerSecond', settings.tokensPerSecond, settings.tokensPerSecond >= 0);
  const answerTokens = settings.answerTokens;
  requireNumber('answerTokens', answerTokens, Number.isInteger(answerTokens) && answerTokens >= 1);
  return Object.freeze(settings);
}

function requireNumber(key: string, value: number, valid: boolean): void {
  if (valid && Number.isFinite(value)) return;
  throw new RampartError('RAMPART_CONFIG_INVALID', `${key} has an invalid value: ${value}`, {
    param: key,
  });
}

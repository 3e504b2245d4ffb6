import { RampartError, textOf, type ModelEvent, type ModelRequest } from '../../core/index.js';
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
  /** The events of a clean answer to `request`, without timing or faults. */
  plan(request: ModelRequest): ModelEvent[];
  /** The fault `request` gets from its directive or the configured rules, if any. */
  chooseFault(request: ModelRequest): SimulatedFault | undefined;
  /**
   * Streams the answer on the simulated clock, with any fault turned into the neutral outcome a
   * real provider client would report. Ends with `finish` or `error`; never throws.
   */
  stream(request: ModelRequest, options?: SimulatedStreamOptions): AsyncGenerator<ModelEvent, void>;
}

/** Creates a simulated model. Throws `RAMPART_CONFIG_INVALID` for a bad option. */
export function createSimulatedModel(options: SimulatedModelOptions = {}): SimulatedModel {
  const settings = checkSettings(options);
  const selectFault = createFaultSelector(settings.faults, settings.seed);
  const model: SimulatedModel = {
    settings,
    plan(request) {
      const prng = createPrng(hashText(requestKey(request), settings.seed));
      const content = decideTurn(request, prng, settings.answerTokens);
      const inputTokens = estimateInputTokens(request);
      return turnEvents(content, { maxTokens: request.maxTokens, inputTokens, prng });
    },
    chooseFault: (request) => selectFault(lastUserText(request)),
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

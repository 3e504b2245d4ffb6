import type { RampartError } from '../core/errors.js';
import type { ModelRequest } from '../core/conversation.js';
import type { ModelEvent } from '../core/events.js';

/** The kinds of provider Rampart speaks to. */
export type ProviderKind = 'openai' | 'anthropic' | 'simulated';

export interface ProviderCallOptions {
  /** Aborts the upstream call at once (client disconnect, shutdown, deadline). */
  signal?: AbortSignal;
}

/**
 * A model provider behind the one neutral interface. `stream` never rejects and never throws
 * while iterating for an upstream failure: failures arrive as a final `error` event, so callers
 * have one path for "the model call did not finish". An aborted signal ends the stream with an
 * `error` event whose code is `RAMPART_CLIENT_CLOSED`.
 */
export interface Provider {
  /** The configured name of this provider, e.g. `openai` or `local-vllm`. */
  readonly name: string;
  readonly kind: ProviderKind;
  /** True for the in-process simulated model; reported in logs and `/v1/models`. */
  readonly simulated: boolean;
  stream(request: ModelRequest, options?: ProviderCallOptions): AsyncIterable<ModelEvent>;
  /**
   * Why this provider cannot answer the request at all (a field its format has no match for),
   * told before any call so that a route moves on to a target that can; undefined when it can.
   */
  refuses?(request: Omit<ModelRequest, 'model'>): RampartError | undefined;
  /** Releases connections; the provider is not used afterwards. */
  close(): Promise<void>;
}

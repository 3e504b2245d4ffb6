import type {
  CollectedResponse,
  CountTarget,
  ModelRequest,
  TokenCounting,
  TokenCounts,
  Usage,
} from '../core/index.js';
import { estimateUsage } from '../core/index.js';
import { CharsPerToken } from './calibration.js';
import {
  countChatPrompt,
  encodingFor,
  isOpenAIModel,
  loadEncoding,
  type CountTokens,
  type EncodingName,
} from './openai-encoding.js';
import { promptCharacters, promptParts, type PromptParts } from './prompt-parts.js';

export type { CountTarget };

/** What a prompt is sent as, for counting. */
export type CountedRequest = Pick<ModelRequest, 'messages' | 'tools'>;

export interface TokenCounterOptions {
  /** Characters per token a model starts from before any report. Default 4. */
  charsPerToken?: number;
}

/** Estimated overhead per message and per image where no encoding is known. */
const MESSAGE_OVERHEAD = 3;
const IMAGE_TOKENS = 85;
/** Models whose ratio is learnt; past this, new ones share the starting ratio unlearnt. */
const MAX_CALIBRATED = 1_000;

/**
 * Counts tokens the way the model that will read them does. OpenAI models (an `openai` provider,
 * or an id such as `gpt-4o` or `o3`) are counted exactly with their encoding, chat format and
 * tool definitions included. Others are estimated from characters with a ratio per model that
 * reported usage corrects (see `CharsPerToken`).
 *
 * Counting is synchronous; `prepare` loads an encoding before first use. Until it is loaded, an
 * OpenAI model is estimated like any other.
 */
export class TokenCounter implements TokenCounts {
  private readonly ratios = new Map<string, CharsPerToken>();
  private readonly encodings = new Map<EncodingName, CountTokens>();
  private readonly initial: number;

  constructor(options: TokenCounterOptions = {}) {
    this.initial = options.charsPerToken ?? 4;
  }

  /** Loads what counting for `target` needs; resolves at once when nothing is needed. */
  async prepare(target: CountTarget): Promise<void> {
    const name = this.encodingOf(target);
    if (name === undefined || this.encodings.has(name)) return;
    this.encodings.set(name, await loadEncoding(name));
  }

  /** The prompt tokens of a request on `target`. */
  countPrompt(target: CountTarget, request: CountedRequest): number {
    const parts = promptParts(request);
    const encoding = this.encodingFor(target);
    if (encoding) return countChatPrompt(parts, encoding);
    return this.estimatePrompt(target, parts);
  }

  /** The tokens of a text on `target` (an answer, a summary). */
  countText(target: CountTarget, text: string): number {
    const encoding = this.encodingFor(target);
    if (encoding) return encoding(text);
    return Math.ceil(text.length / this.ratioFor(target).ratio);
  }

  /** Both counts bound to one target, in the shape `core`'s usage estimate takes. */
  counting(target: CountTarget): TokenCounting {
    return {
      prompt: (request) => this.countPrompt(target, request),
      text: (text) => this.countText(target, text),
    };
  }

  /** Usage, marked estimated, of a call on `target` whose provider reported none. */
  estimateUsage(
    target: CountTarget,
    request: CountedRequest,
    response: Pick<CollectedResponse, 'text' | 'toolCalls'>,
  ): Usage {
    return estimateUsage(request, response, this.counting(target));
  }

  /**
   * Learns from a provider's report of a request's usage. Only estimated models learn: an
   * encoding is already exact. Estimated usage teaches nothing.
   */
  observe(target: CountTarget, request: CountedRequest, usage: Usage): void {
    if (usage.estimated === true || this.encodingOf(target) !== undefined) return;
    const parts = promptParts(request);
    const billed =
      usage.inputTokens + (usage.cachedInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
    this.ratioFor(target).observe(promptCharacters(parts), billed - overheadOf(parts));
  }

  /** The characters-per-token ratio `target` is estimated with now. */
  charsPerToken(target: CountTarget): number {
    return this.ratioFor(target).ratio;
  }

  private estimatePrompt(target: CountTarget, parts: PromptParts): number {
    const text = Math.ceil(promptCharacters(parts) / this.ratioFor(target).ratio);
    return Math.max(1, text + overheadOf(parts));
  }

  private encodingOf(target: CountTarget): EncodingName | undefined {
    if (target.kind !== 'openai' && !isOpenAIModel(target.model)) return undefined;
    return encodingFor(target.model);
  }

  private encodingFor(target: CountTarget): CountTokens | undefined {
    const name = this.encodingOf(target);
    if (name === undefined) return undefined;
    const encoding = this.encodings.get(name);
    // Not loaded yet: counted by estimate this once, loaded for the next call.
    if (encoding === undefined) void this.prepare(target).catch(() => undefined);
    return encoding;
  }

  private ratioFor(target: CountTarget): CharsPerToken {
    const id = `${target.provider}/${target.model}`;
    let ratio = this.ratios.get(id);
    if (ratio !== undefined) return ratio;
    ratio = new CharsPerToken(this.initial);
    if (this.ratios.size < MAX_CALIBRATED) this.ratios.set(id, ratio);
    return ratio;
  }
}

function overheadOf(parts: PromptParts): number {
  let overhead = parts.messages.length * MESSAGE_OVERHEAD;
  for (const message of parts.messages) overhead += message.images * IMAGE_TOKENS;
  return overhead;
}

import type { PromptParts } from './prompt-parts.js';

/** The byte-pair encodings of OpenAI's chat models that Rampart counts with. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Counts the tokens of one text in an encoding. */
export type CountTokens = (text: string) => number;

/** Model id prefixes of the o200k family; every other OpenAI chat model is cl100k. */
const O200K_PREFIXES = ['gpt-4o', 'gpt-4.1', 'gpt-4.5', 'gpt-5', 'chatgpt-', 'o1', 'o3', 'o4'];
/** Ids that name an OpenAI model whatever provider type serves them. */
const OPENAI_PREFIXES = ['gpt-', 'chatgpt-', 'o1', 'o3', 'o4'];

/**
 * The encoding an OpenAI model id uses (tiktoken's model table: o200k for gpt-4o, gpt-4.1,
 * gpt-5 and the o-series, cl100k for gpt-4 and gpt-3.5). An unknown id served by an `openai`
 * provider is taken as a current model, o200k.
 */
export function encodingFor(model: string): EncodingName {
  const id = model.toLowerCase();
  if (O200K_PREFIXES.some((prefix) => id.startsWith(prefix))) return 'o200k_base';
  if (id.startsWith('gpt-4') || id.startsWith('gpt-3.5')) return 'cl100k_base';
  return 'o200k_base';
}

/** True when the model id names an OpenAI model. */
export function isOpenAIModel(model: string): boolean {
  const id = model.toLowerCase();
  return OPENAI_PREFIXES.some((prefix) => id.startsWith(prefix));
}

const loading = new Map<EncodingName, Promise<CountTokens>>();

/**
 * Loads an encoding once, on first use: each is a few megabytes of merge ranks, so only those a
 * configured model needs are ever read. Only the two encodings are imported, never the package's
 * main entry, which would load them all.
 */
export function loadEncoding(name: EncodingName): Promise<CountTokens> {
  let loaded = loading.get(name);
  if (loaded === undefined) {
    loaded = importEncoding(name);
    loading.set(name, loaded);
  }
  return loaded;
}

async function importEncoding(name: EncodingName): Promise<CountTokens> {
  const encoding =
    name === 'o200k_base'
      ? await import('gpt-tokenizer/encoding/o200k_base')
      : await import('gpt-tokenizer/encoding/cl100k_base');
  // Special-token text in a prompt is counted as ordinary text, as the API treats it.
  return (text) => encoding.countTokens(text, { disallowedSpecial: new Set() });
}

/**
 * Chat-format overhead as OpenAI's cookbook counts it ("How to count tokens with tiktoken"):
 * every message is wrapped in 3 tokens, and every reply is primed with 3 more. Tool
 * definitions are rendered by the API in a form it does not publish; the cookbook's constants
 * (7 per function, 12 once at the end) around the tokens of each definition come close.
 */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;
const PER_TOOL = 7;
const TOOLS_END = 12;
/** A low-detail image, the least an image costs; larger ones are billed by tiles. */
const PER_IMAGE = 85;

/** The prompt tokens of a chat request in an encoding. */
export function countChatPrompt(parts: PromptParts, count: CountTokens): number {
  let tokens = REPLY_PRIMING;
  for (const message of parts.messages) {
    tokens += PER_MESSAGE + count(message.role) + message.images * PER_IMAGE;
    for (const text of message.texts) tokens += count(text);
  }
  if (parts.tools.length === 0) return tokens;
  for (const tool of parts.tools) tokens += PER_TOOL + count(tool);
  return tokens + TOOLS_END;
}

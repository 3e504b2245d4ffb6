import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { RampartError } from '../core/errors.js';
import { configError, configErrorFromIssues } from './config-error.js';
import {
  configSchema,
  type AssistantConfig,
  type ModelConfig,
  type ParsedConfig,
} from './schema.js';

/** The validated, resolved and frozen configuration the whole process runs on. */
export interface RampartConfig extends Omit<ParsedConfig, 'models' | 'assistants'> {
  models: Readonly<Record<string, ModelConfig>>;
  assistants: Readonly<Record<string, AssistantConfig>>;
  /** Where the config came from, for messages: a file path or `defaults`. */
  source: string;
}

export interface LoadConfigOptions {
  /** A YAML file; absent means embedded defaults. */
  file?: string;
  /** An already parsed config object (library use); merged under `overrides` like a file. */
  object?: unknown;
  /** Environment to read `RAMPART_*` variables from. Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values from command-line flags; they win over the file and the environment. */
  overrides?: { host?: string; port?: number; dataDir?: string };
}

/** The model served when the config names none: the simulated one, clearly labelled. */
export const DEFAULT_MODEL_NAME = 'rampart-sim-1';
export const DEFAULT_ASSISTANT_NAME = 'default';
export const DEMO_TOOLS = ['calculator', 'current_time'];

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RampartError('RAMPART_CONFIG_INVALID', `cannot read config file ${file}: ${reason}`);
  }
  const document = parseDocument(text, { uniqueKeys: true });
  const problem = document.errors[0];
  if (problem) {
    throw new RampartError(
      'RAMPART_CONFIG_INVALID',
      `config file ${file} is not valid YAML: ${problem.message}`,
    );
  }
  return document.toJS() ?? {};
}

function asRecord(value: unknown, source: string): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return { ...(value as Record<string, unknown>) };
  }
  throw new RampartError(
    'RAMPART_CONFIG_INVALID',
    `invalid config in ${source}: the top level must be a mapping`,
  );
}

function portFromEnv(value: string): number | string {
  // Keep the raw text when it is not a whole number, so the schema reports it with its key.
  return /^\d+$/.test(value) ? Number(value) : value;
}

function applyEnvironment(raw: Record<string, unknown>, options: LoadConfigOptions) {
  const env = options.env ?? {};
  const server = { ...asRecord(raw.server ?? {}, 'server') };
  const log = { ...asRecord(raw.log ?? {}, 'log') };
  if (env.RAMPART_HOST) server.host = env.RAMPART_HOST;
  if (env.RAMPART_PORT) server.port = portFromEnv(env.RAMPART_PORT);
  if (env.RAMPART_DATA_DIR) raw.dataDir = env.RAMPART_DATA_DIR;
  if (env.RAMPART_LOG_LEVEL) log.level = env.RAMPART_LOG_LEVEL;
  const flags = options.overrides ?? {};
  if (flags.host !== undefined) server.host = flags.host;
  if (flags.port !== undefined) server.port = flags.port;
  if (flags.dataDir !== undefined) raw.dataDir = flags.dataDir;
  raw.server = server;
  raw.log = log;
}

function defaultModels(parsed: ParsedConfig, source: string): Record<string, ModelConfig> {
  const simulated = Object.entries(parsed.providers).find(([, p]) => p.type === 'simulated');
  if (!simulated)
    throw configError('models', 'required when no simulated provider is configured', source);
  return {
    [DEFAULT_MODEL_NAME]: {
      provider: simulated[0],
      model: DEFAULT_MODEL_NAME,
      description: 'Simulated model (no real provider)',
    },
  };
}

function checkReferences(config: RampartConfig) {
  for (const [modelName, model] of Object.entries(config.models)) {
    if (!(model.provider in config.providers)) {
      const known = Object.keys(config.providers).join(', ');
      throw configError(
        `models.${modelName}.provider`,
        `unknown provider "${model.provider}" (known: ${known})`,
        config.source,
      );
    }
  }
  for (const [assistantName, assistant] of Object.entries(config.assistants)) {
    if (!(assistant.model in config.models)) {
      const known = Object.keys(config.models).join(', ');
      throw configError(
        `assistants.${assistantName}.model`,
        `unknown model "${assistant.model}" (known: ${known})`,
        config.source,
      );
    }
  }
  for (const [providerName, provider] of Object.entries(config.providers)) {
    if (provider.type === 'simulated') continue;
    if (provider.apiKey !== undefined && provider.apiKeyEnv !== undefined) {
      const key = `providers.${providerName}`;
      throw configError(key, 'set apiKey or apiKeyEnv, not both', config.source);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Loads, validates and resolves the configuration: file (or object), then `RAMPART_*` variables,
 * then command-line flags. Throws one RampartError naming every bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): RampartConfig {
  const source = options.file ?? (options.object === undefined ? 'defaults' : 'config object');
  const raw = asRecord(options.file ? readYaml(options.file) : (options.object ?? {}), source);
  applyEnvironment(raw, options);
  const result = configSchema.safeParse(raw);
  if (!result.success) throw configErrorFromIssues(result.error.issues, source);
  const parsed = result.data;
  const models = parsed.models ?? defaultModels(parsed, source);
  const firstModel = Object.keys(models)[0];
  if (firstModel === undefined)
    throw configError('models', 'at least one model is required', source);
  const assistants = parsed.assistants ?? {
    [DEFAULT_ASSISTANT_NAME]: {
      model: firstModel,
      systemPrompt: 'You are a helpful assistant.',
      tools: DEMO_TOOLS,
      maxToolSteps: 8,
      toolConcurrency: 4,
      toolTimeoutMs: 30_000,
    },
  };
  const config: RampartConfig = { ...parsed, models, assistants, source };
  checkReferences(config);
  return deepFreeze(config);
}

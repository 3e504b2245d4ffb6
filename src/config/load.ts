import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { RampartError } from '../core/errors.js';
import { configError, configErrorFromIssues } from './config-error.js';
import { checkRoutingReferences, isRoutingRoute } from './routing-check.js';
import {
  assistantSchema,
  configSchema,
  modelSchema,
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

type Override = { key: string; origin: string; value: unknown };

/** The values the environment and the command line set, in the order they apply. */
function overridesOf(options: LoadConfigOptions): Override[] {
  const env = options.env ?? {};
  const list: Override[] = [];
  const fromEnv = (key: string, name: string, value: unknown) =>
    list.push({ key, origin: `the environment variable ${name}`, value });
  const fromFlag = (key: string, flag: string, value: unknown) =>
    list.push({ key, origin: `the flag --${flag}`, value });
  if (env.RAMPART_HOST) fromEnv('server.host', 'RAMPART_HOST', env.RAMPART_HOST);
  if (env.RAMPART_PORT) fromEnv('server.port', 'RAMPART_PORT', portFromEnv(env.RAMPART_PORT));
  if (env.RAMPART_DATA_DIR) fromEnv('dataDir', 'RAMPART_DATA_DIR', env.RAMPART_DATA_DIR);
  if (env.RAMPART_LOG_LEVEL) fromEnv('log.level', 'RAMPART_LOG_LEVEL', env.RAMPART_LOG_LEVEL);
  const flags = options.overrides ?? {};
  if (flags.host !== undefined) fromFlag('server.host', 'host', flags.host);
  if (flags.port !== undefined) fromFlag('server.port', 'port', flags.port);
  if (flags.dataDir !== undefined) fromFlag('dataDir', 'data-dir', flags.dataDir);
  return list;
}

function applyOverrides(raw: Record<string, unknown>, overrides: readonly Override[]) {
  const merged: Record<string, unknown> = { ...raw };
  for (const { key, value } of overrides) {
    const [section, field] = key.split('.') as [string, string | undefined];
    if (field === undefined) {
      merged[section] = value;
      continue;
    }
    const current = merged[section];
    const base = current !== null && typeof current === 'object' ? current : {};
    merged[section] = { ...base, [field]: value };
  }
  return merged;
}

function defaultModels(parsed: ParsedConfig, source: string): Record<string, ModelConfig> {
  const simulated = Object.entries(parsed.providers).find(([, p]) => p.type === 'simulated');
  if (!simulated)
    throw configError('models', 'required when no simulated provider is configured', source);
  return {
    [DEFAULT_MODEL_NAME]: modelSchema.parse({
      provider: simulated[0],
      model: DEFAULT_MODEL_NAME,
      description: 'Simulated model (no real provider)',
    }),
  };
}

function checkReferences(config: RampartConfig) {
  for (const [modelName, model] of Object.entries(config.models)) {
    const targets = [model, ...model.fallbacks];
    targets.forEach((target, index) => {
      if (target.provider in config.providers) return;
      const known = Object.keys(config.providers).join(', ');
      const key = index === 0 ? 'provider' : `fallbacks[${index - 1}].provider`;
      throw configError(
        `models.${modelName}.${key}`,
        `unknown provider "${target.provider}" (known: ${known})`,
        config.source,
      );
    });
  }
  for (const [assistantName, assistant] of Object.entries(config.assistants)) {
    if (!(assistant.model in config.models) && !isRoutingRoute(config, assistant.model)) {
      const known = [...Object.keys(config.models), ...Object.keys(config.routing.routes)].join(
        ', ',
      );
      throw configError(
        `assistants.${assistantName}.model`,
        `unknown model "${assistant.model}" (known: ${known})`,
        config.source,
      );
    }
  }
  for (const [budgetName, budget] of Object.entries(config.budgets)) {
    if (budget.downgradeTo === undefined || budget.downgradeTo in config.models) continue;
    const known = Object.keys(config.models).join(', ');
    throw configError(
      `budgets.${budgetName}.downgradeTo`,
      `unknown model "${budget.downgradeTo}" (known: ${known})`,
      config.source,
    );
  }
  checkSummaryModel(config);
  checkWindows(config);
  for (const [providerName, provider] of Object.entries(config.providers)) {
    if (provider.type === 'simulated') continue;
    if (provider.apiKey !== undefined && provider.apiKeyEnv !== undefined) {
      const key = `providers.${providerName}`;
      throw configError(key, 'set apiKey or apiKeyEnv, not both', config.source);
    }
  }
}

function checkSummaryModel(config: RampartConfig) {
  const summaryModel = config.pruning.summaryModel;
  if (summaryModel === undefined || summaryModel in config.models) return;
  const known = Object.keys(config.models).join(', ');
  const message = `unknown model "${summaryModel}" (known: ${known})`;
  throw configError('pruning.summaryModel', message, config.source);
}

/** Least prompt room a window must leave after the answer's reserve to be usable at all. */
const MIN_PROMPT_ROOM = 256;

/** A window that the answer's reserve fills leaves no request that could ever be sent. */
function checkWindows(config: RampartConfig) {
  if (!config.pruning.enabled) return;
  const reserve = config.pruning.outputReserveTokens;
  for (const [name, model] of Object.entries(config.models)) {
    const window = model.contextWindow;
    if (window === undefined || window - reserve >= MIN_PROMPT_ROOM) continue;
    const message =
      `${window} leaves ${Math.max(0, window - reserve)} tokens for the prompt after ` +
      `pruning.outputReserveTokens (${reserve}); raise it or lower the reserve`;
    throw configError(`models.${name}.contextWindow`, message, config.source);
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
  const source = sourceOf(options);
  const raw = asRecord(options.file ? readYaml(options.file) : (options.object ?? {}), source);
  // The file alone must be valid: a bad value hidden by today's flag would break tomorrow's start.
  const fileResult = configSchema.safeParse(raw);
  if (!fileResult.success) throw configErrorFromIssues(fileResult.error.issues, source, new Map());
  const overrides = overridesOf(options);
  const result = configSchema.safeParse(applyOverrides(raw, overrides));
  if (!result.success) {
    const origins = new Map(overrides.map((override) => [override.key, override.origin]));
    throw configErrorFromIssues(result.error.issues, source, origins);
  }
  const parsed = result.data;
  const models = parsed.models ?? defaultModels(parsed, source);
  const firstModel = Object.keys(models)[0];
  if (firstModel === undefined) {
    throw configError('models', 'at least one model is required', source);
  }
  const assistants = parsed.assistants ?? {
    [DEFAULT_ASSISTANT_NAME]: assistantSchema.parse({ model: firstModel, tools: DEMO_TOOLS }),
  };
  const config: RampartConfig = { ...parsed, models, assistants, source };
  checkReferences(config);
  checkRoutingReferences(config);
  return deepFreeze(config);
}

/** `source` of a config loaded from no file: the embedded defaults, or an object in code. */
export const DEFAULTS_SOURCE = 'the defaults';
export const OBJECT_SOURCE = 'the config object';

function sourceOf(options: LoadConfigOptions): string {
  if (options.file !== undefined) return options.file;
  return options.object === undefined ? DEFAULTS_SOURCE : OBJECT_SOURCE;
}

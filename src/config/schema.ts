import { z } from 'zod';
import { nonNegativeInt, positiveInt } from './numbers.js';
import { budgetsSchema } from './budget-schema.js';
import { authorizationSchema, guardSchema } from './guard-schema.js';
import { pricingSchema } from './pricing-schema.js';
import { observeSchema } from './observe-schema.js';
import { pruningSchema } from './pruning-schema.js';
import { resilienceSchema } from './resilience-schema.js';
import { routingOverrideSchema, routingSchema } from './routing-schema.js';

/**
 * The one configuration schema. Every field has its default here, so the config reference in
 * docs/configuration.md and the behaviour cannot drift apart: a test renders this schema's keys
 * and checks the reference names each one.
 */

/** Per-minute limits stay far from where the rate-limit arithmetic would lose precision. */
const perMinute = z.number().int().positive().max(1_000_000_000);
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1-64 letters, digits, _ . : -');

/** Timeouts by phase: a healthy long stream is never cut by a total. */
const timeoutsSchema = z
  .strictObject({
    /** Time to open the TCP/TLS connection. Default 5 s. */
    connectMs: positiveInt.default(5_000),
    /** Time from sending the request to the response headers. Default 60 s. */
    firstByteMs: positiveInt.default(60_000),
    /** Longest silence between two body chunks. Default 60 s. */
    idleMs: positiveInt.default(60_000),
  })
  .prefault({});

const faultSchema = z.strictObject({
  kind: z.enum([
    'status',
    'hang-before-first-byte',
    'hang-mid-stream',
    'cut-mid-stream',
    'malformed-chunk',
    'in-band-error',
    'slow-drip',
  ]),
  /** Chance that a matching request gets this fault (0..1). Default 1. */
  probability: z.number().min(0).max(1).default(1),
  /** Only requests whose last user message contains this text. */
  match: z.string().optional(),
  status: z.number().int().min(400).max(599).optional(),
  retryAfterSeconds: nonNegativeInt.optional(),
  after: nonNegativeInt.optional(),
  intervalMs: nonNegativeInt.optional(),
});

/**
 * Calls in flight at once to this provider across all instances (a deployment's own capacity).
 * A full provider is skipped for the route's next target; the last target waits in line.
 * Absent: no cap.
 */
const maxConcurrentCalls = positiveInt.optional();

const simulatedProviderSchema = z.strictObject({
  type: z.literal('simulated'),
  maxConcurrentCalls,
  /** Seed of the deterministic model. Default 1. */
  seed: z.number().int().default(1),
  /** Delay before the first token. Default 150 ms. */
  firstTokenMs: nonNegativeInt.default(150),
  /** Streaming rate; 0 streams as fast as possible. Default 60 tokens/s. */
  tokensPerSecond: nonNegativeInt.default(60),
  /** Length of a plain text answer in tokens. Default 30. */
  answerTokens: positiveInt.default(30),
  /** Faults injected into matching requests. Default none. */
  faults: z.array(faultSchema).default([]),
});

const credentials = {
  /** Base URL of the API, e.g. `https://api.openai.com/v1`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The API key itself; prefer `apiKeyEnv` so the key stays out of files. */
  apiKey: z.string().min(1).optional(),
  /** Name of the environment variable holding the API key. */
  apiKeyEnv: z.string().min(1).optional(),
  /** Extra headers sent with every request. Default none. */
  headers: z.record(z.string(), z.string()).default({}),
  timeouts: timeoutsSchema,
  maxConcurrentCalls,
};

const openaiProviderSchema = z.strictObject({ type: z.literal('openai'), ...credentials });

const anthropicProviderSchema = z.strictObject({
  type: z.literal('anthropic'),
  ...credentials,
  /** Value of the `anthropic-version` header. Default `2023-06-01`. */
  version: z.string().default('2023-06-01'),
  /** `max_tokens` sent when the request sets none (Anthropic requires one). Default 4096. */
  defaultMaxTokens: positiveInt.default(4096),
});

export const providerSchema = z.discriminatedUnion('type', [
  simulatedProviderSchema,
  openaiProviderSchema,
  anthropicProviderSchema,
]);

/** One provider model a route can send a call to. */
const targetSchema = z.strictObject({
  /** Name of an entry under `providers`. */
  provider: name,
  /** The provider's own model id. */
  model: z.string().min(1),
});

/** A model name clients ask for: the primary target, then its fallback chain. */
export const modelSchema = z.strictObject({
  /** Name of an entry under `providers`. */
  provider: name,
  /** The provider's own model id. */
  model: z.string().min(1),
  /** Shown in `/v1/models`. */
  description: z.string().optional(),
  /** Targets tried in order when the one before fails. Default none. */
  fallbacks: z.array(targetSchema).max(8).default([]),
  /**
   * After text has reached the client, a failure continues the answer on the next target
   * (asking it to go on from the text already sent). Default false: the stream ends with an
   * error event.
   */
  continueOnFailure: z.boolean().default(false),
  /**
   * Upstream statuses (400-499) that move on to the next target at once, without a retry: e.g.
   * 401 for one provider's bad key, or 429 to leave a rate-limited provider without waiting.
   * Network errors, timeouts, 408, 429 and 5xx always move on once retries are spent. Default
   * none.
   */
  fallbackOnStatus: z.array(z.number().int().min(400).max(499)).default([]),
  /**
   * Tokens the model reads and writes in one call, its context window; context pruning keeps
   * every request within it. Default: the built-in list for known model ids, the smallest
   * over the fallbacks; 32,768 for a model it does not list.
   */
  contextWindow: z.number().int().min(1_024).max(100_000_000).optional(),
});

export const assistantSchema = z.strictObject({
  /** Name of an entry under `models`, or of a route under `routing.routes`. */
  model: name,
  /** Changes to the routing route named as `model` for this assistant alone. Default none. */
  routing: routingOverrideSchema.optional(),
  /** System prompt placed before every conversation. */
  systemPrompt: z.string().default('You are a helpful assistant.'),
  /** Names of the tools this assistant may call. Default none. */
  tools: z.array(name).default([]),
  /** Most model calls in one turn before the turn ends. Default 8. */
  maxToolSteps: positiveInt.max(64).default(8),
  /** Most tool calls running at once. Default 4. */
  toolConcurrency: positiveInt.max(64).default(4),
  /** Timeout of one tool call unless the tool sets its own. Default 30 s. */
  toolTimeoutMs: positiveInt.default(30_000),
});

const httpToolHandler = z.strictObject({
  type: z.literal('http'),
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).default({}),
  /** Largest response body read. Default 1 MiB. */
  maxResponseBytes: positiveInt.default(1_048_576),
});

export const toolSchema = z.strictObject({
  description: z.string().default(''),
  /** JSON Schema of the arguments. Default: an object with any properties. */
  parameters: z.record(z.string(), z.unknown()).default({ type: 'object' }),
  /** Timeout of one call. Default: the assistant's `toolTimeoutMs`. */
  timeoutMs: positiveInt.optional(),
  /** What the results hold, for output filtering. Default: unclassified. */
  dataClasses: z
    .strictObject({
      /** Class of the whole result. */
      result: z.string().min(1).optional(),
      /** Classes by field path (`email`, `orders.card`). */
      fields: z.record(z.string().min(1), z.string().min(1)).optional(),
      /** Path of the field holding the id of the user the result belongs to. */
      ownerField: z.string().min(1).optional(),
    })
    .optional(),
  /**
   * Whether a call changes something (sends, books, writes). Default true: a session turn is
   * saved before such a call, so a crash never makes it twice; `false` for a tool that only reads.
   */
  sideEffects: z.boolean().default(true),
  handler: httpToolHandler,
});

export const serverSchema = z
  .strictObject({
    /** Interface to listen on. Default 127.0.0.1. Env `RAMPART_HOST`. */
    host: z.string().min(1).default('127.0.0.1'),
    /** Port to listen on; 0 picks a free one. Default 8600. Env `RAMPART_PORT`. */
    port: z.number().int().min(0).max(65_535).default(8600),
    /** Largest request body accepted; larger gets 413. Default 16 MiB (vision requests). */
    bodyLimitBytes: positiveInt.default(16 * 1024 * 1024),
    /** Interval of SSE keep-alive comments on quiet streams. Default 15 s. */
    keepAliveIntervalMs: positiveInt.default(15_000),
    /** A streaming client that takes no data for this long is cut off. Default 30 s. */
    drainTimeoutMs: positiveInt.default(30_000),
    /** How long readiness reports draining before the listener closes. Default 0. */
    drainDelayMs: nonNegativeInt.default(0),
    /** How long shutdown waits for open streams before ending them. Default 10 s. */
    shutdownGraceMs: nonNegativeInt.default(10_000),
  })
  .prefault({});

const failurePolicy = z.enum(['fail-closed', 'local']);

export const stateSchema = z
  .strictObject({
    /** `local`: in this process. `redis`: shared by every instance. Default `local`. */
    backend: z.enum(['local', 'redis']).default('local'),
    /** Redis URL (`redis://` or `rediss://`). Default: the `REDIS_URL` environment variable. */
    url: z.string().min(1).optional(),
    /** Redis Cluster seed nodes (`host:port`); when set, `url` is not used. */
    clusterNodes: z.array(z.string().min(1)).optional(),
    /** Prefix of every Redis key, so several deployments can share one Redis. */
    keyPrefix: z.string().default('rampart:'),
    /** A Redis command that takes longer fails (and the failure policy applies). Default 1 s. */
    commandTimeoutMs: positiveInt.default(1_000),
    /** What happens to each concern while Redis is down or slow. */
    onFailure: z
      .strictObject({
        /** `local` (default): limit per instance with a warning; `fail-closed`: refuse with 503. */
        rateLimits: failurePolicy.default('local'),
        /** `local` (default): cap per instance with a warning; `fail-closed`: refuse with 503. */
        concurrency: failurePolicy.default('local'),
        /** Sessions cannot be served from elsewhere: always `fail-closed` (503). */
        sessions: z.literal('fail-closed').default('fail-closed'),
        /** Budgets cannot be held per instance without overspending: always `fail-closed` (503). */
        budgets: z.literal('fail-closed').default('fail-closed'),
      })
      .prefault({}),
  })
  .prefault({});

export const recordsSchema = z
  .strictObject({
    /** `sqlite`: one file in `dataDir`. `postgres`: shared durable records. Default `sqlite`. */
    backend: z.enum(['sqlite', 'postgres']).default('sqlite'),
    /** PostgreSQL URL. Default: the `DATABASE_URL` environment variable. */
    url: z.string().min(1).optional(),
    /** PostgreSQL schema that holds Rampart's tables. Default `rampart`. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/)
      .default('rampart'),
  })
  .prefault({});

const limitValues = {
  /** Requests per minute per user. Absent: no limit. */
  requestsPerMinute: perMinute.optional(),
  /** Model tokens per minute per user (estimated before a call, corrected after). */
  tokensPerMinute: perMinute.optional(),
};

export const limitsSchema = z
  .strictObject({
    /** Limits of principals whose tier has no entry under `tiers`. Default: none. */
    default: z.strictObject(limitValues).prefault({}),
    /** Limits by tier name, e.g. `free`, `premium`. */
    tiers: z.record(name, z.strictObject(limitValues)).default({}),
    /** Limits for one API key, by its key id (`rampart keys list`); they win over the tier. */
    keys: z.record(z.string().min(1), z.strictObject(limitValues)).default({}),
    global: z
      .strictObject({
        /** Model calls in flight at once across all instances. Absent: no cap. */
        maxConcurrentModelCalls: positiveInt.optional(),
        /** A held slot expires this long after its last renewal (crashed instances). Default 30 s. */
        slotLeaseMs: positiveInt.min(1_000).default(30_000),
      })
      .prefault({}),
    queue: z
      .strictObject({
        /** How long a request over a limit waits for room before it gets 429. Default 10 s. */
        maxWaitMs: nonNegativeInt.default(10_000),
        /** How often a waiting request checks for room. Default 25 ms. */
        pollMs: positiveInt.default(25),
      })
      .prefault({}),
  })
  .prefault({});

/** Where the SQLite database lives when nothing says otherwise. */
export const DEFAULT_DATA_DIR = './.rampart';

export const configSchema = z.strictObject({
  server: serverSchema,
  /** Where the SQLite database lives. Default `./.rampart`. Env `RAMPART_DATA_DIR`. */
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR),
  log: z
    .strictObject({
      /** pino level. Default `info`. Env `RAMPART_LOG_LEVEL`. */
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      /** Log prompts, completions and tool arguments. Default false. */
      content: z.boolean().default(false),
    })
    .prefault({}),
  /** Model providers by name. Default: one `simulated` provider. */
  providers: z.record(name, providerSchema).prefault({ simulated: { type: 'simulated' } }),
  /** Model names clients may ask for. Default: `rampart-sim-1` on the simulated provider. */
  models: z.record(name, modelSchema).optional(),
  /** HTTP tools declared in config (built-in tools need no entry). Default none. */
  tools: z.record(name, toolSchema).default({}),
  /** Assistants that run server-side turns. Default: `default` with the demo tools. */
  assistants: z.record(name, assistantSchema).optional(),
  state: stateSchema,
  records: recordsSchema,
  limits: limitsSchema,
  resilience: resilienceSchema,
  guard: guardSchema,
  authorization: authorizationSchema,
  /** Prices of tokens, tool calls and memory operations, for usage records and budgets. */
  pricing: pricingSchema,
  /** Spend caps by name, in tokens and/or dollars. Default none. */
  budgets: budgetsSchema,
  /** Routes that choose a model per request (`auto`). Default none. */
  routing: routingSchema,
  /** How each model call's context is kept within budgets and the model's window. */
  pruning: pruningSchema,
  /** Monitoring: metrics, satisfaction signals, stats, traces, anomaly alerts, the dashboard. */
  observe: observeSchema,
  sessions: z
    .strictObject({
      /** A session with no turn for this long is deleted. Default 0: sessions never expire. */
      idleTtlMs: nonNegativeInt.default(0),
      /** How long one turn may hold a session before another turn may take it. Default 5 min. */
      turnLeaseMs: positiveInt.default(300_000),
    })
    .prefault({}),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type ModelConfig = z.output<typeof modelSchema>;
export type AssistantConfig = z.output<typeof assistantSchema>;
export type ToolConfig = z.output<typeof toolSchema>;
export type FaultConfig = z.output<typeof faultSchema>;
export type StateConfig = z.output<typeof stateSchema>;
export type RecordsConfig = z.output<typeof recordsSchema>;
export type LimitsConfig = z.output<typeof limitsSchema>;

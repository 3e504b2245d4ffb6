import type { RampartConfig } from '../config/index.js';
import { configError } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import {
  createExternalClassifier,
  createInjectionDetector,
  guardInputStage,
  guardOutputStage,
  InputScreen,
  outputEngines,
  toolResultScreen,
  warmUp,
} from '../guard/index.js';
import type { TurnStage } from '../runtime/index.js';
import type { AuditLog, RateLimitStore } from '../store/index.js';
import {
  createToolAuthorizer,
  type ToolPolicy,
  type ToolRegistry,
  type ToolResolver,
} from '../tools/index.js';

/**
 * Every policy name in config must be a tool, and every resolver named must be registered.
 * Called before any backend opens, so a bad config leaves nothing open behind it.
 */
export function checkPolicies(
  config: RampartConfig,
  tools: ToolRegistry,
  resolvers: ReadonlyMap<string, ToolResolver>,
) {
  for (const [name, policy] of Object.entries(config.authorization.tools)) {
    const key = `authorization.tools.${name}`;
    if (!tools.has(name))
      throw configError(key, `no tool named "${name}" is registered`, config.source);
    const named = [
      policy.resolver,
      ...Object.values(policy.arguments).map((rule) => rule.resolver),
    ];
    const missing = named.find((resolver) => resolver !== undefined && !resolvers.has(resolver));
    if (missing !== undefined) {
      throw configError(key, `no resolver named "${missing}" is registered in code`, config.source);
    }
  }
}

/** The policy of each tool: config first, else the one the tool brings. */
function policiesFor(config: RampartConfig, tools: ToolRegistry): Map<string, ToolPolicy> {
  const policies = new Map<string, ToolPolicy>();
  for (const tool of tools.list()) {
    const configured = Object.hasOwn(config.authorization.tools, tool.name)
      ? config.authorization.tools[tool.name]
      : undefined;
    const policy = configured ?? tool.policy;
    if (policy) policies.set(tool.name, policy);
  }
  return policies;
}

/**
 * An assistant's tool without a policy never runs while `authorization.unlisted` is `deny`: say
 * so at start, not only in the tool's error result at the first call.
 */
function warnUnlisted(
  config: RampartConfig,
  policies: ReadonlyMap<string, ToolPolicy>,
  logger: Logger,
) {
  if (config.authorization.unlisted !== 'deny') return;
  for (const [assistant, { tools }] of Object.entries(config.assistants)) {
    const unlisted = tools.filter((tool) => !policies.has(tool));
    if (unlisted.length === 0) continue;
    logger.warn(
      { assistant, tools: unlisted },
      'tools without a policy are denied: add them under authorization.tools',
    );
  }
}

function inputScreen(config: RampartConfig, logger: Logger): InputScreen {
  const { input } = config.guard;
  const detector = createInjectionDetector(
    input.threshold === undefined ? {} : { threshold: input.threshold },
  );
  // In the background: the first users after a start would otherwise pay the check's set-up.
  void warmUp(detector);
  const external = input.external
    ? createExternalClassifier({ ...input.external, logger })
    : undefined;
  const actions = { user: input.user, tool: input.tool, memory: input.memory };
  return new InputScreen({ detector, external, actions, logger });
}

export interface GuardSetupOptions {
  config: RampartConfig;
  tools: ToolRegistry;
  resolvers: ReadonlyMap<string, ToolResolver>;
  stores: { rateLimits: RateLimitStore; audit: AuditLog };
  logger: Logger;
}

/**
 * The guard of every turn: the input check and the output filter as stages, the authorizer of
 * tool calls, and the screen of tool results, all from config.
 */
export function guardSetup(options: GuardSetupOptions) {
  const { config, tools, resolvers, stores, logger } = options;
  const policies = policiesFor(config, tools);
  warnUnlisted(config, policies, logger);
  const screen = inputScreen(config, logger);
  const { output, leak } = config.guard;
  const stages: TurnStage[] = [
    guardInputStage(screen),
    guardOutputStage({
      engines: outputEngines(leak.threshold === undefined ? {} : { leakThreshold: leak.threshold }),
      types: output.redact ? output.types : [],
      toolArgumentTypes: output.redact ? output.toolArgumentTypes : [],
      leakMessage: leak.message,
      leakDetection: leak.enabled,
      leakScope: leak.systemMessages,
    }),
  ];
  const authorizer = createToolAuthorizer({
    policies,
    unlisted: config.authorization.unlisted,
    resolvers,
    rateLimits: stores.rateLimits,
    audit: stores.audit,
    auditAllowed: config.authorization.auditAllowed,
    logger: logger.child({ component: 'tool-authorization' }),
  });
  const screenToolResult = toolResultScreen({ screen, clearances: output.clearances });
  return { stages, authorizer, screenToolResult };
}

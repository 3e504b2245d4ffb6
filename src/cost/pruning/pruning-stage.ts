import type { PruningConfig, RampartConfig } from '../../config/index.js';
import type { Message } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import type { TokenCounts } from '../../core/token-estimate.js';
import type { Logger } from '../../core/logger.js';
import type { Provider } from '../../providers/index.js';
import {
  resolveRoutes,
  type ModelCallRequest,
  type RequestShaping,
  type ResolvedModel,
  type Turn,
  type TurnStage,
} from '../../runtime/index.js';
import {
  catalogContextWindow,
  DEFAULT_CONTEXT_WINDOW,
  routeContextWindow,
} from '../context-windows.js';
import { promptTokens } from '../prompt-tokens.js';
import { countTokens } from './count-tokens.js';
import { addFacts } from './facts.js';
import { fitContext, type FitOutcome } from './fit-context.js';
import { foldPoint } from './fold-point.js';
import { extendSummary } from './extend-summary.js';
import {
  readSummary,
  storedSummary,
  SUMMARY_STATE_KEY,
  type RunningSummary,
} from './running-summary.js';
import type { SummaryParts } from './summary-message.js';

export interface PruningStageOptions {
  config: RampartConfig;
  providers: ReadonlyMap<string, Provider>;
  /** Told once at start which models are assumed to have the default window. */
  logger?: Logger;
  /**
   * Counts a request as the route's models do, for the final check against the window; absent:
   * the character estimate alone decides.
   */
  tokens?: TokenCounts;
}

/** Refits when the model's own count finds the estimate short; a few rounds always converge. */
const MAX_REFITS = 3;

interface FoldParts {
  system: readonly Message[];
  history: readonly Message[];
}

/** What one turn's calls share: the summary as it now stands, and whether it was extended. */
interface TurnPruning {
  summary: RunningSummary | undefined;
  tried: boolean;
}

/**
 * Keeps every model call's context within its budgets and the routed model's window: recent
 * turns verbatim, older ones folded into a running summary kept in the session's state, older
 * tool results in one line. Requests whose client holds the history are only fitted.
 */
export function pruningStage(options: PruningStageOptions): TurnStage {
  const pruner = new ContextPruner(options);
  return {
    name: 'pruning',
    shapeRequest: (turn, request, shaping) => pruner.shape(turn, request, shaping),
  };
}

class ContextPruner {
  private readonly settings: PruningConfig;
  private readonly summaryRoute: ResolvedModel | undefined;
  private readonly turns = new WeakMap<Turn, TurnPruning>();

  constructor(private readonly options: PruningStageOptions) {
    const { config } = options;
    this.settings = config.pruning;
    const name = this.settings.summaryModel;
    this.summaryRoute = name ? resolveRoutes(config, options.providers).get(name) : undefined;
    const assumed = modelsWithoutWindow(config);
    if (assumed.length > 0) {
      const fields = { models: assumed, contextWindow: DEFAULT_CONTEXT_WINDOW };
      options.logger?.warn(fields, 'context window unknown; pruning assumes the default');
    }
  }

  async shape(turn: Turn, request: ModelCallRequest, shaping: RequestShaping) {
    const route = turn.route;
    const session = turn.input.sessionId !== undefined;
    if (!route || (!session && this.settings.stateless === 'off')) return request;
    const { system, history } = splitSystem(request.messages);
    const limit = this.limitOf(route, request.maxTokens);
    const parts = session
      ? beyondSummary(history, await this.foldSummary(turn, { system, history }, shaping))
      : { summary: undefined, from: 0 };
    const fitInto = (estimateLimit: number) =>
      fitContext({
        system,
        summary: parts.summary,
        history: history.slice(parts.from),
        offset: parts.from,
        tools: request.tools,
        limit: estimateLimit,
        summaryBudget: this.settings.budgets.summary,
        toolResultBudget: this.settings.budgets.toolResults,
      });
    return { ...request, messages: this.fitChecked(turn, { route, limit, fitInto, request }) };
  }

  /**
   * Fits by the character estimate, then counts the result as the route's models do: text the
   * estimate undercounts (code, non-Latin scripts) is fitted again into a limit shrunk by the
   * shortfall, so the window holds by the model's own count.
   */
  private fitChecked(
    turn: Turn,
    options: {
      route: ResolvedModel;
      limit: number;
      fitInto: (estimateLimit: number) => FitOutcome;
      request: ModelCallRequest;
    },
  ): Message[] {
    const { route, limit, fitInto, request } = options;
    let estimateLimit = limit;
    let fit = fitInto(estimateLimit);
    const tokens = this.options.tokens;
    for (let round = 0; fit.fits && tokens; round++) {
      const counted = { messages: fit.messages, tools: request.tools };
      const real = promptTokens(counted, { targets: route.targets, tokens });
      if (real <= limit) break;
      if (round === MAX_REFITS) {
        fit = { fits: false, tokens: real };
        break;
      }
      // What fitted counts `fit.tokens` by the estimate and `real` by the model: shrink the
      // estimate's room by that ratio (the fit may have used less than its whole room).
      estimateLimit = Math.floor((fit.tokens * limit) / real) - 1;
      fit = fitInto(estimateLimit);
    }
    if (!fit.fits && estimateLimit < limit && estimateLimit > 0) {
      // Said in the model's count, not the shrunken estimate's: about what it would take.
      fit = { fits: false, tokens: Math.ceil((fit.tokens * limit) / estimateLimit) };
    }
    return fittedMessages(turn, fit, { limit, maxTokens: request.maxTokens });
  }

  /** Input tokens a request on `route` may hold. */
  private limitOf(route: ResolvedModel, maxTokens: number | undefined): number {
    const window = routeContextWindow({
      configured: this.options.config.models[route.name]?.contextWindow,
      modelIds: route.targets.map((target) => target.model),
    });
    return window - this.settings.outputReserveTokens - (maxTokens ?? 0);
  }

  /** The running summary, extended (once per turn at most) when the verbatim turns outgrew it. */
  private async foldSummary(turn: Turn, parts: FoldParts, shaping: RequestShaping) {
    const { history } = parts;
    const state = this.turnState(turn, history);
    const covered = state.summary?.covered ?? 0;
    const { budgets, recentTurns } = this.settings;
    // A system prompt over its budget takes the excess from the verbatim turns.
    const systemTokens = countTokens({ messages: [...parts.system] });
    const budget = budgets.recent - Math.max(0, systemTokens - budgets.system);
    const to = foldPoint(history, { covered, budget, recentTurns });
    if (to <= covered || state.tried) return { summary: state.summary, to };
    state.tried = true;
    const extended = await this.extend(turn, { previous: state.summary, history, to }, shaping);
    if (!extended) return { summary: state.summary, to };
    state.summary = extended;
    turn.statePatch[SUMMARY_STATE_KEY] = storedSummary(extended);
    return { summary: extended, to };
  }

  private extend(turn: Turn, fold: FoldRange, shaping: RequestShaping) {
    const route = this.summaryRoute;
    const proseTokens = Math.floor(this.settings.budgets.summary / 2);
    return extendSummary({
      ...fold,
      write: route
        ? writer(turn, route, { shaping, timeoutMs: this.settings.summaryTimeoutMs })
        : undefined,
      proseTokens,
      requestLimit: route ? this.summaryLimit(route, fold, proseTokens) : 0,
    });
  }

  /**
   * Tokens a summary request may hold, by the estimate it is built with: the summary model's
   * room, shrunk by how much its own count exceeds the estimate on the messages to fold (text
   * such as CJK counts several times the estimate).
   */
  private summaryLimit(route: ResolvedModel, fold: FoldRange, proseTokens: number): number {
    const limit = this.limitOf(route, proseTokens);
    const tokens = this.options.tokens;
    const batch = fold.history.slice(fold.previous?.covered ?? 0, fold.to);
    if (!tokens || batch.length === 0) return limit;
    const estimate = countTokens({ messages: batch });
    const real = promptTokens({ messages: batch }, { targets: route.targets, tokens });
    return real <= estimate ? limit : Math.floor((limit * estimate) / real);
  }

  private turnState(turn: Turn, history: readonly Message[]): TurnPruning {
    let state = this.turns.get(turn);
    if (!state) {
      const stored = turn.input.sessionState?.[SUMMARY_STATE_KEY];
      state = { summary: readSummary(stored, history), tried: false };
      this.turns.set(turn, state);
    }
    return state;
  }
}

/** Model names whose window is neither configured nor listed for every target. */
function modelsWithoutWindow(config: RampartConfig): string[] {
  return Object.entries(config.models)
    .filter(([, model]) => model.contextWindow === undefined)
    .filter(([, model]) =>
      [model, ...model.fallbacks].some(
        (target) => catalogContextWindow(target.model) === undefined,
      ),
    )
    .map(([name]) => name);
}

interface FoldRange {
  previous: RunningSummary | undefined;
  history: readonly Message[];
  to: number;
}

/** The summary to send, and where the verbatim turns start. */
function beyondSummary(
  history: readonly Message[],
  fold: { summary: RunningSummary | undefined; to: number },
): { summary: SummaryParts | undefined; from: number } {
  const { summary, to } = fold;
  const covered = summary?.covered ?? 0;
  if (to <= covered) return { summary, from: covered };
  // The summary could not be extended: the turns it should have taken in are left out all the
  // same, with their facts, so the request still keeps to its budget.
  const facts = addFacts(summary?.facts ?? [], history.slice(covered, to), covered);
  return { summary: { text: summary?.text ?? '', facts }, from: to };
}

/** Lone halves of surrogate pairs: the `u` flag leaves whole pairs alone. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/gu;

function writer(
  turn: Turn,
  route: ResolvedModel,
  options: { shaping: RequestShaping; timeoutMs: number },
) {
  const { shaping, timeoutMs } = options;
  return async (request: ModelCallRequest) => {
    const response = await shaping.callAside(route, request, { timeoutMs });
    // Stored in the session's state as JSON: nothing that fails to round-trip.
    const text = response.text.replace(LONE_SURROGATE, '').replaceAll('\u0000', '').trim();
    if (response.error || text === '') {
      const code = response.error?.code;
      turn.logger.warn(
        { route: route.name, code },
        'running summary not extended; trimmed instead',
      );
      return undefined;
    }
    return text;
  };
}

/** The leading system messages (the system prompt), and the rest. */
function splitSystem(messages: readonly Message[]) {
  let end = 0;
  while (end < messages.length && messages[end]?.role === 'system') end++;
  return { system: messages.slice(0, end), history: messages.slice(end) };
}

function fittedMessages(
  turn: Turn,
  fit: FitOutcome,
  room: { limit: number; maxTokens: number | undefined },
): Message[] {
  const { limit, maxTokens } = room;
  if (fit.fits) {
    if (fit.dropped > 0 || fit.shortened > 0) {
      const { dropped, shortened, tokens } = fit;
      turn.logger.debug({ dropped, shortened, tokens, limit }, 'context pruned');
    }
    return fit.messages;
  }
  const needs = `The conversation needs about ${fit.tokens} tokens even with older turns left out`;
  if (maxTokens !== undefined && limit < fit.tokens + maxTokens / 2) {
    // The answer's room is what crowds it out: say so, rather than blame the message.
    throw new RampartError(
      'RAMPART_CONTEXT_TOO_LARGE',
      `${needs}, but max_tokens (${maxTokens}) leaves ${Math.max(0, limit)} of the model's ` +
        'context window for it; lower max_tokens or shorten the latest message.',
      { param: 'max_tokens' },
    );
  }
  throw new RampartError(
    'RAMPART_CONTEXT_TOO_LARGE',
    `${needs}, more than the ${Math.max(0, limit)} the model's context window leaves for it; ` +
      'shorten the latest message.',
    { param: 'messages' },
  );
}

import type { BudgetsConfig } from '../config/index.js';
import type { ModelRequest, ToolCall } from '../core/conversation.js';
import { RampartError } from '../core/errors.js';
import type { TokenCounts } from '../core/token-estimate.js';
import type { ResolvedModel, Turn, TurnStage } from '../runtime/index.js';
import type { BudgetStore } from '../store/index.js';
import { capCounters, type CapCounter } from './budget-caps.js';
import {
  newReservationId,
  reserveCallWaiting,
  worstCaseOf,
  type HeldReservation,
} from './budget-reserve.js';
import { settleHeld, spendOf, type Spend } from './budget-settle.js';
import type { PriceBook } from './price-book.js';
import { promptTokens } from './prompt-tokens.js';

export interface BudgetStageOptions {
  budgets: BudgetsConfig;
  store: BudgetStore;
  prices: PriceBook;
  /** Every model name's route, for `downgrade`. */
  routes: ReadonlyMap<string, ResolvedModel>;
  /** Counts prompts as the route's models do; absent: the character estimate. */
  tokens?: TokenCounts;
  /**
   * Output tokens reserved for a call that sets no `max_tokens` (what the context pruning leaves
   * free for the answer). Default 4096.
   */
  defaultOutputTokens: number;
  /** How long a call waits for room other calls' reservations hold (`limits.queue`). */
  wait: { maxWaitMs: number; pollMs: number };
  /** How long a reservation outlives an instance that crashed holding it. */
  leaseMs: number;
  /** Milliseconds since the epoch: decides the window. Default `Date.now`. */
  now?: () => number;
}

const MAX_DOWNGRADES = 3;

/** The refusal of a spent cap, saying when its window reopens (a conversation's never does). */
function exhaustedError(counter: CapCounter, now: number): RampartError {
  const { budget, reopensAt } = counter;
  if (reopensAt === undefined) {
    const message = `The budget '${budget}' is spent for this conversation.`;
    return new RampartError('RAMPART_BUDGET_EXHAUSTED', message);
  }
  const reopens = new Date(reopensAt).toISOString();
  const message = `The budget '${budget}' is spent for its current window; it reopens at ${reopens}.`;
  const retryAfterSeconds = Math.max(1, Math.ceil((reopensAt - now) / 1_000));
  return new RampartError('RAMPART_BUDGET_EXHAUSTED', message, { retryAfterSeconds });
}

/** What one turn holds between its model calls. */
interface TurnLedger {
  held: HeldReservation | undefined;
  /** Spend already settled, so each settle adds only what came after. */
  settled: Spend;
  /**
   * Spent `downgrade` budgets that moved this turn to their cheaper route: they cap the dear
   * model, so the cheaper model's calls are not counted against them.
   */
  downgradedFrom: Set<string>;
}

function addOnce(list: string[], names: readonly string[]): void {
  for (const name of names) if (!list.includes(name)) list.push(name);
}

/**
 * Budgets: before each model call, reserve its worst case on every cap that applies (clamping
 * `max_tokens` to what they allow); after it, settle to what was spent. A cap that is reached
 * ends the turn with its message, moves it to a cheaper route, or refuses it.
 */
export function budgetStage(options: BudgetStageOptions): TurnStage {
  const ledgers = new WeakMap<Turn, TurnLedger>();
  const now = options.now ?? Date.now;

  function ledgerOf(turn: Turn): TurnLedger {
    let ledger = ledgers.get(turn);
    if (!ledger) {
      ledger = { held: undefined, settled: { tokens: 0, nanos: 0 }, downgradedFrom: new Set() };
      ledgers.set(turn, ledger);
    }
    return ledger;
  }

  /**
   * Settles what the turn spent since the last settlement: on the reservation it held, or (a
   * summary call made before a refused reservation, say) on the caps that apply now, so no
   * spend goes uncounted.
   */
  async function settlePrevious(turn: Turn, ledger: TurnLedger): Promise<void> {
    const held = ledger.held ?? unheld(turn, ledger);
    if (!held) return;
    ledger.held = undefined;
    const total = spendOf(turn, options.prices);
    const spent = {
      tokens: total.tokens - ledger.settled.tokens,
      nanos: total.nanos - ledger.settled.nanos,
    };
    ledger.settled = total;
    const crossed = await settleHeld(options.store, held, spent);
    for (const budget of crossed) {
      turn.logger.warn(
        { budget, userId: turn.input.principal.userId },
        'budget reached its warning line',
      );
    }
    addOnce(turn.budget.crossed, crossed);
  }

  /** Every cap that applies to the turn's principal and conversation now. */
  function capsOf(turn: Turn): CapCounter[] {
    const { principal, conversationId, sessionId } = turn.input;
    const subject = { principal, conversationId: conversationId ?? sessionId, now: now() };
    return capCounters(options.budgets, subject);
  }

  /** The caps to charge spend that no reservation covered, when there is any. */
  function unheld(turn: Turn, ledger: TurnLedger): HeldReservation | undefined {
    const total = spendOf(turn, options.prices);
    if (total.tokens <= ledger.settled.tokens && total.nanos <= ledger.settled.nanos)
      return undefined;
    const counters = capsOf(turn).filter((counter) => !ledger.downgradedFrom.has(counter.budget));
    if (counters.length === 0) return undefined;
    return { id: newReservationId(), counters };
  }

  function counterFor(counters: readonly CapCounter[], key: string): CapCounter {
    return counters.find((counter) => counter.key === key)!;
  }

  /** Handles a cap that is reached: true when the turn should try again on a cheaper route. */
  function reached(turn: Turn, counter: CapCounter, ledger: TurnLedger): boolean {
    const { budget, config } = counter;
    const target = config.downgradeTo && options.routes.get(config.downgradeTo);
    if (config.onExhausted === 'downgrade' && target) {
      turn.logger.info(
        { budget, userId: turn.input.principal.userId, route: target.name },
        'budget reached: downgrading the turn',
      );
      turn.route = target;
      ledger.downgradedFrom.add(budget);
      turn.budget.exhausted = { budget, action: 'downgrade' };
      if (turn.routing) turn.routing = { ...turn.routing, model: target.name };
      return true;
    }
    const userId = turn.input.principal.userId;
    turn.logger.info({ budget, userId, action: config.onExhausted }, 'budget reached');
    if (config.onExhausted === 'error') {
      turn.budget.exhausted = { budget, action: 'error' };
      throw exhaustedError(counter, now());
    }
    turn.budget.exhausted = { budget, action: 'message' };
    turn.cannedAnswer = config.message;
    return false;
  }

  async function reserveStep(turn: Turn, request: Omit<ModelRequest, 'model'>): Promise<void> {
    const ledger = ledgerOf(turn);
    await settlePrevious(turn, ledger);
    turn.maxOutputTokens = undefined;
    const all = capsOf(turn);
    // Each downgrade moves to another route; a few are enough for any sane chain of budgets.
    for (let attempt = 0; attempt < MAX_DOWNGRADES + 1; attempt++) {
      const counters = all.filter((counter) => !ledger.downgradedFrom.has(counter.budget));
      if (counters.length === 0) return;
      // Counted on the route as it stands: a downgrade changes the models that will read it.
      const targets = turn.route?.targets ?? [];
      const tokens = promptTokens(request, { targets, tokens: options.tokens });
      const worst = worstCaseOf(targets, tokens, options.prices);
      const { store, leaseMs } = options;
      const maxOutput = request.maxTokens;
      const wait = { ...options.wait, signal: turn.input.signal };
      const reserve = {
        store,
        counters,
        worst,
        maxOutput: maxOutput ?? options.defaultOutputTokens,
        leaseMs,
      };
      const { held, result } = await reserveCallWaiting(reserve, wait);
      if (result.ok) {
        ledger.held = held;
        // A limit the budget does not need is not imposed: the request keeps its own (or none).
        const asked = request.maxTokens ?? options.defaultOutputTokens;
        turn.maxOutputTokens = result.units < asked ? result.units : undefined;
        const near = counters.filter((counter) => result.nearlySpent.includes(counter.key));
        addOnce(
          turn.budget.nearlySpent,
          near.map((counter) => counter.budget),
        );
        return;
      }
      if (!reached(turn, counterFor(counters, result.counter), ledger)) return;
    }
    turn.cannedAnswer = all[0]!.config.message;
  }

  /**
   * Reserves what a step's priced tool calls cost, all of them, on the money caps: the handlers
   * spend it whether or not the model's next call fits. A refusal runs none of them.
   */
  async function reserveTools(turn: Turn, calls: readonly ToolCall[]) {
    const cost = calls.reduce((sum, call) => sum + options.prices.toolCost(call.name), 0);
    if (cost === 0) return undefined;
    const ledger = ledgerOf(turn);
    // The model call that asked for the tools has ended: its reservation settles first.
    await settlePrevious(turn, ledger);
    const counters = capsOf(turn).filter(
      (counter) => counter.measure === 'cost' && !ledger.downgradedFrom.has(counter.budget),
    );
    if (counters.length === 0) return undefined;
    const id = newReservationId();
    const takes = counters.map((counter) => ({
      key: counter.key,
      cap: counter.cap,
      base: cost,
      perUnit: 0,
      warnAt: counter.config.warnAt,
      ttlMs: counter.ttlMs,
    }));
    const units = { min: 0, max: 0 };
    const result = await options.store.reserve({
      id,
      counters: takes,
      units,
      leaseMs: options.leaseMs,
    });
    if (result.ok) {
      ledger.held = { id, counters };
      const near = counters.filter((counter) => result.nearlySpent.includes(counter.key));
      addOnce(
        turn.budget.nearlySpent,
        near.map((counter) => counter.budget),
      );
      return undefined;
    }
    const { budget } = counterFor(counters, result.counter);
    addOnce(turn.budget.nearlySpent, [budget]);
    const fields = { budget, userId: turn.input.principal.userId, tools: calls.length };
    turn.logger.info(fields, 'budget refused a step of tool calls');
    const message = `The budget '${budget}' does not allow these tool calls; they were not run.`;
    return new RampartError('RAMPART_BUDGET_EXHAUSTED', message);
  }

  return {
    name: 'budget',
    beforeStep: reserveStep,
    beforeToolStep: reserveTools,
    async settle(turn) {
      const ledger = ledgers.get(turn);
      if (ledger) await settlePrevious(turn, ledger);
    },
  };
}

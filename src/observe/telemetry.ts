import type { Logger } from '../core/logger.js';
import type { ErrorCode } from '../core/errors.js';
import type { Turn, TurnInput } from '../runtime/turn.js';

/**
 * What the sinks read of a settled turn. A turn waits up to a second for its batch (see
 * telemetry-stage.ts); held whole, it kept its request's graph alive that long (messages,
 * logger, abort signal, the closures of its stages), long enough to leave the young generation
 * for the old one, where collecting it costs more. These facts are small and own nothing else.
 */
export type SettledTurn = Pick<
  Turn,
  | 'route'
  | 'servedBy'
  | 'degraded'
  | 'modelCalls'
  | 'toolCalls'
  | 'modelUsage'
  | 'usage'
  | 'cost'
  | 'errorCode'
  | 'guard'
  | 'budget'
> & { readonly input: Pick<TurnInput, 'buffered'> };

/** A turn has settled: every stage has recorded its facts on it. */
export interface TurnSettled {
  type: 'turn';
  /** Wall-clock milliseconds when the turn settled. */
  at: number;
  /** From the request's arrival to the turn settling (delivery may come later: see `flush`). */
  durationMs: number;
  /** The turn's facts, without its messages: no sink reads text. */
  turn: SettledTurn;
  /** True when the client sees the answer as a stream (SSE), false for a buffered response. */
  streamed: boolean;
  /** True when this turn re-sent a user message the conversation had just sent, or regenerated an answer. */
  retry: boolean;
}

/** A user rated an answer through `POST /v1/sessions/{id}/feedback`. */
export interface FeedbackGiven {
  type: 'feedback';
  at: number;
  rating: 'up' | 'down';
  hasComment: boolean;
}

/**
 * A conversation went quiet for the idle window: its totals are final as far as this instance
 * knows. Observed once, by the instance that served its last turn.
 */
export interface ConversationEnded {
  type: 'conversation';
  at: number;
  turns: number;
  /** Input plus output tokens over every turn. */
  tokens: number;
  /** Nanodollars (1e-9 USD) over every turn. */
  costNanos: number;
  /** True when the last turn failed and the user left without another. */
  abandonedAfterError: boolean;
}

/** A model call waited for room in a queue (a concurrency or provider cap). */
export interface QueueWaited {
  type: 'queue';
  at: number;
  waitedMs: number;
  /** `admitted`: it got the room; `timed-out`: it gave up after the longest wait. */
  outcome: 'admitted' | 'timed-out';
}

/** A route target's circuit breaker changed state. */
export interface BreakerChanged {
  type: 'breaker';
  at: number;
  /** `provider/model`. */
  target: string;
  state: 'closed' | 'open' | 'half-open';
}

/** Spans of sampled turns on their way to the OTLP collector. */
export interface SpansReported {
  type: 'spans';
  at: number;
  /**
   * `queued`: ended and handed to the export batch; `exported`: a collector accepted them;
   * `failed`: their export failed and they were dropped. Queued spans that are neither exported
   * nor failed were dropped by a full queue, or are still waiting.
   */
  outcome: 'queued' | 'exported' | 'failed';
  count: number;
}

/** One flush of the stats rollups to their store. */
export interface StatsFlushed {
  type: 'stats-flush';
  at: number;
  /** Writes the store took. */
  written: number;
  /** Writes the store refused: held and sent again on the next flush. */
  failed: number;
  /** Minutes given up: held too long while the store was down, or past retention. */
  droppedMinutes: number;
}

/**
 * A request was answered with an error response (a status and a JSON error body): refused before
 * any turn (a bad key, a malformed body, an unknown path), or a turn that failed before any of
 * its answer was sent (an unknown model, every target down on a buffered request).
 */
export interface RequestFailed {
  type: 'request-failed';
  at: number;
  /**
   * The HTTP route's template, never the path as sent (a 405 names the route that has the path);
   * `unmatched` when no route has the path.
   */
  httpRoute: string;
  code: ErrorCode;
}

export type TelemetryEvent =
  | TurnSettled
  | RequestFailed
  | FeedbackGiven
  | ConversationEnded
  | QueueWaited
  | BreakerChanged
  | SpansReported
  | StatsFlushed;

/** Something that turns telemetry events into metrics, rollups or alerts. */
export interface TelemetrySink {
  readonly name: string;
  /** Must be cheap: it runs on the request path. Throwing is logged, never passed on. */
  handle(event: TelemetryEvent): void;
}

/**
 * The one place stages, routes and stores report what happened. Every sink sees every event in
 * the order emitted; a sink that throws is logged and the others still run, so monitoring can
 * never fail a turn.
 *
 * A reporter may hold its events back and emit them in batches (the telemetry stage does, for
 * settled turns). It registers with `onFlush`, and anything that reads what the sinks made of the
 * events (a scrape, a stats flush or read, the conversation sweep, shutdown) calls `flush` first,
 * so a read always sees every event reported before it.
 */
export class Telemetry {
  readonly #sinks: TelemetrySink[] = [];
  readonly #holders: Array<() => void> = [];
  readonly #logger: Logger | undefined;
  /** Wall-clock milliseconds; injectable so tests can move time. */
  readonly now: () => number;

  constructor(options: { logger?: Logger; now?: () => number } = {}) {
    this.#logger = options.logger;
    this.now = options.now ?? Date.now;
  }

  subscribe(sink: TelemetrySink): void {
    this.#sinks.push(sink);
  }

  /**
   * True once any sink listens. With metrics and stats both off nothing does, and reporters skip
   * the work of building their events: monitoring that is off costs nothing per turn.
   */
  get listened(): boolean {
    return this.#sinks.length > 0;
  }

  /** Registers a reporter's delivery of the events it holds back. */
  onFlush(deliver: () => void): void {
    this.#holders.push(deliver);
  }

  /** Delivers every event held back, now. Cheap when nothing is held. */
  flush(): void {
    for (const deliver of this.#holders) deliver();
  }

  emit(event: TelemetryEvent): void {
    for (const sink of this.#sinks) {
      try {
        sink.handle(event);
      } catch (error) {
        this.#logger?.error(
          { err: error, sink: sink.name, event: event.type },
          'telemetry sink failed',
        );
      }
    }
  }
}

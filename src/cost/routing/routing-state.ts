/**
 * What routing keeps in a session's state, and how it reads it back. State comes from storage
 * and may predate a config change, so every read checks the shape and falls back to nothing.
 */

/** Name of the session state entry the router writes. */
export const ROUTING_STATE = 'routing';
/** Name of the session state entry the feedback endpoint writes. */
export const FEEDBACK_STATE = 'feedback';
/** Ratings kept per session: enough for the router and a look back, bounded for storage. */
export const MAX_KEPT_RATINGS = 50;

/** Where a session stands with a routing route after its last turn. */
export interface RoutingState {
  route: string;
  /** The tier the session escalated to. */
  tier: string;
  /** Turns still to run on `tier` (or higher) before the session drops back. */
  turnsLeft: number;
  /**
   * The `seq` of the newest rating a routing decision has already looked at: a rating counts for
   * the one turn that follows it, whatever that turn decides, and never again.
   */
  ratingsSeen: number;
}

export type RatingValue = 'up' | 'down';

export interface Rating {
  /** Index of the rated assistant message in the session's history. */
  index: number;
  rating: RatingValue;
  comment?: string;
  /** When it was given (ISO 8601). */
  at: string;
  /** Order of the rating in the session, from 1; 0 for ratings stored before it was kept. */
  seq: number;
}

/** The ratings of a session's answers, newest last. */
export interface FeedbackState {
  ratings: Rating[];
  /** The `seq` of the newest rating given, so the router can tell a new one from one it has seen. */
  seq: number;
  /**
   * Where every rated message stands, by its index: its latest rating, kept after the rating
   * itself has left `ratings`, so that sending it again is known to change nothing. A few bytes
   * for each answer of the session that was ever rated.
   */
  standing: Record<string, RatingValue>;
}

type State = Readonly<Record<string, unknown>> | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

export function readRoutingState(state: State): RoutingState | undefined {
  const entry = state?.[ROUTING_STATE];
  if (!isRecord(entry) || typeof entry.route !== 'string' || typeof entry.tier !== 'string') {
    return undefined;
  }
  return {
    route: entry.route,
    tier: entry.tier,
    turnsLeft: count(entry.turnsLeft),
    ratingsSeen: count(entry.ratingsSeen),
  };
}

export function readFeedback(state: State): FeedbackState {
  const entry = state?.[FEEDBACK_STATE];
  if (!isRecord(entry)) return { ratings: [], seq: 0, standing: {} };
  const stored = Array.isArray(entry.ratings) ? entry.ratings.filter(isRating) : [];
  const ratings = stored.map((rating) => ({ ...rating, seq: count(rating.seq) }));
  const newest = Math.max(0, ...ratings.map((rating) => rating.seq));
  return {
    ratings,
    seq: Math.max(count(entry.seq), newest),
    standing: readStanding(entry, ratings),
  };
}

/** A message index as an object key: a non-negative integer in its one decimal spelling. */
const INDEX_KEY = /^(?:0|[1-9]\d{0,15})$/;

/**
 * The stored standings, each checked, with the kept ratings over them: a session stored before
 * standings were kept has its ratings alone, and a kept rating is never older than its standing.
 */
function readStanding(
  entry: Record<string, unknown>,
  ratings: Rating[],
): Record<string, RatingValue> {
  const standing: Record<string, RatingValue> = {};
  if (isRecord(entry.standing)) {
    for (const [index, value] of Object.entries(entry.standing)) {
      if (INDEX_KEY.test(index) && (value === 'up' || value === 'down')) standing[index] = value;
    }
  }
  for (const rating of ratings) {
    const index = String(rating.index);
    if (INDEX_KEY.test(index)) standing[index] = rating.rating;
  }
  return standing;
}

function isRating(value: unknown): value is Omit<Rating, 'seq'> & { seq?: unknown } {
  return (
    isRecord(value) &&
    typeof value.index === 'number' &&
    (value.rating === 'up' || value.rating === 'down') &&
    typeof value.at === 'string'
  );
}

/**
 * The feedback entry with one more rating, numbered after the newest: a message rated again
 * keeps only its latest rating, so an `up` withdraws an earlier `down`. The rating a message
 * already stands at, sent again, is no new rating: it keeps its number and place (a kept one
 * takes the new comment), so neither the satisfaction counts nor the router see it twice, and it
 * pushes no other rating out of the kept ones.
 */
export function withRating(feedback: FeedbackState, rating: Omit<Rating, 'seq'>): FeedbackState {
  if (latestRating(feedback, rating.index) === rating.rating) {
    const ratings = feedback.ratings.map((kept) =>
      kept.index === rating.index ? { ...rating, seq: kept.seq } : kept,
    );
    return { ...feedback, ratings };
  }
  const seq = feedback.seq + 1;
  const others = feedback.ratings.filter((kept) => kept.index !== rating.index);
  const ratings = [...others, { ...rating, seq }].slice(-MAX_KEPT_RATINGS);
  const standing = { ...feedback.standing, [String(rating.index)]: rating.rating };
  return { ratings, seq, standing };
}

/** The latest rating a message was given, if it was ever rated. */
export function latestRating(feedback: FeedbackState, index: number): RatingValue | undefined {
  return Object.hasOwn(feedback.standing, String(index))
    ? feedback.standing[String(index)]
    : undefined;
}

/** Messages whose latest rating is `down`, given after the rating numbered `seen`. */
export function newDownRatings(feedback: FeedbackState, seen: number): number {
  return feedback.ratings.filter((rating) => rating.rating === 'down' && rating.seq > seen).length;
}

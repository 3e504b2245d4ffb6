/**
 * The time of every span of one turn, in wall-clock milliseconds. Anchored once, when the turn
 * starts, to `Date.now()`, and moved on by `performance.now()` from there: spans opened live,
 * back-dated from a reported duration, or ended later all keep their exact order and lengths
 * (the SDK would anchor each span on its own, to a clock read in whole milliseconds), and a
 * long-running process's drift between the two clocks never builds up.
 */
export class TurnClock {
  readonly #anchor = Date.now() - performance.now();

  /** The wall-clock time of a `performance.now()` reading; now, without one. */
  at(reading: number = performance.now()): number {
    return this.#anchor + reading;
  }
}

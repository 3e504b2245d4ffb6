import { RampartError } from '../core/errors.js';

/**
 * The abort controllers of every turn in flight, so shutdown can end them cleanly once the grace
 * period is over instead of cutting sockets.
 */
export class ActiveTurns {
  private readonly controllers = new Set<AbortController>();

  get size(): number {
    return this.controllers.size;
  }

  /** Registers a controller; call the returned function when the turn is over. */
  track(controller: AbortController): () => void {
    this.controllers.add(controller);
    return () => this.controllers.delete(controller);
  }

  abortAll(): void {
    const reason = new RampartError('RAMPART_SHUTTING_DOWN', 'the server is shutting down');
    for (const controller of this.controllers) controller.abort(reason);
  }
}

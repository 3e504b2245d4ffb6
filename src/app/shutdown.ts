import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { ActiveTurns } from '../http/index.js';

export interface ShutdownOptions {
  app: FastifyInstance;
  activeTurns: ActiveTurns;
  lifecycle: { draining: boolean };
  /** How long readiness reports draining before the listener closes. */
  drainDelayMs: number;
  /** How long open streams may run on before they are ended. */
  graceMs: number;
}

/** Time after the grace period for ended streams to flush before sockets are cut. */
const FLUSH_MS = 2_000;
/** How often idle keep-alive sockets are closed while shutting down. */
const SWEEP_MS = 50;

/**
 * Stops the server without cutting anyone off: readiness turns false first (so a load balancer
 * stops sending), then the listener closes, open streams get the grace period to finish, and
 * those still open are ended with a shutdown error event. A keep-alive socket whose response
 * ended during shutdown would otherwise hold the close open until its idle timeout.
 */
export async function shutdown(options: ShutdownOptions): Promise<void> {
  const { app, activeTurns } = options;
  options.lifecycle.draining = true;
  if (options.drainDelayMs > 0) await sleep(options.drainDelayMs);
  const closing = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), SWEEP_MS);
  const grace = setTimeout(() => activeTurns.abortAll(), options.graceMs);
  const cut = setTimeout(() => app.server.closeAllConnections(), options.graceMs + FLUSH_MS);
  try {
    await closing;
  } finally {
    clearInterval(sweep);
    clearTimeout(grace);
    clearTimeout(cut);
  }
}

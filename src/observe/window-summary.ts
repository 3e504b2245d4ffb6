/**
 * What happened over one window of wall-clock time, across every instance: the inputs of the
 * anomaly detector's key series. Built from the mergeable per-minute rollups that also answer
 * `GET /v1/stats`.
 */
export interface WindowSummary {
  /** Wall-clock milliseconds, start inclusive, end exclusive. */
  from: number;
  to: number;
  /** Turns settled in the window. */
  turns: number;
  /** Per tool: calls, and those that failed in execution or timed out (denials are not errors). */
  tools: Record<string, { calls: number; errors: number }>;
  /** Per `provider/model`: upstream calls, and the 95th percentile of their total duration. */
  models: Record<string, { calls: number; latencyP95Ms: number | undefined }>;
  /** Upstream model calls, and the times an answer moved on to another target. */
  modelCalls: number;
  fallbacks: number;
  /** Conversations that ended in the window, and their turns added up. */
  conversations: { ended: number; turns: number };
  /** What the window's turns cost, in nanodollars. */
  costNanos: number;
}

/** Reads window summaries; the stats store implements it. */
export interface WindowReader {
  summarize(from: number, to: number): Promise<WindowSummary>;
}

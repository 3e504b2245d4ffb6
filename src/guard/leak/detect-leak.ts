import type { LeakOptions, LeakVerdict } from './leak-options.js';
import { LeakMonitor } from './leak-monitor.js';

/**
 * Checks a whole answer at once. It runs the streaming monitor over the answer as one delta, so
 * the two can never disagree about what counts as a leak.
 */
export function detectLeak(system: string, output: string, options?: LeakOptions): LeakVerdict {
  const monitor = new LeakMonitor(system, options);
  const pushed = monitor.push(output);
  if (pushed.leak !== undefined) return pushed.leak;
  const flushed = monitor.flush();
  return flushed.leak ?? monitor.verdict();
}

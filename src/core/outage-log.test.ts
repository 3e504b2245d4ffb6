import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { OutageLog } from './outage-log.js';

function rig(reminderMs = 60_000) {
  const lines: { level: number; msg: string; failures?: number; outageMs?: number }[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  let clock = 1_000;
  const log = new OutageLog({ logger, what: 'claims', now: () => clock, reminderMs });
  return { lines, log, advance: (ms: number) => (clock += ms) };
}

describe('OutageLog', () => {
  it('warns once per outage, repeats at the reminder interval, and says when it ended', () => {
    const { lines, log, advance } = rig();
    log.succeeded();
    expect(lines).toEqual([]);
    for (let poll = 0; poll < 150; poll++) {
      log.failed(new Error('connection refused'), { heldMinutes: 2 });
      advance(1_000);
    }
    expect(log.failing).toBe(true);
    log.succeeded();
    log.succeeded();

    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'claims failing',
      'claims still failing',
      'claims still failing',
    ]);
    // The reminders fall a minute apart: after 61 and 121 failures.
    expect(warnings.slice(1).map((line) => [line.failures, line.outageMs])).toEqual([
      [61, 60_000],
      [121, 120_000],
    ]);
    expect(lines.filter((line) => line.level === 20)).toHaveLength(147);
    const ended = lines.filter((line) => line.level === 30);
    expect(ended).toMatchObject([
      { msg: 'claims working again', failures: 150, outageMs: 150_000 },
    ]);
    expect(log.failing).toBe(false);
  });

  it('starts a new outage, with its own count, after a recovery', () => {
    const { lines, log, advance } = rig();
    log.failed(new Error('down'));
    advance(5_000);
    log.succeeded();
    log.failed(new Error('down again'));
    advance(2_000);
    log.failed(new Error('down again'));
    log.succeeded();
    expect(lines.map((line) => [line.level, line.msg, line.failures])).toEqual([
      [40, 'claims failing', undefined],
      [30, 'claims working again', 1],
      [40, 'claims failing', undefined],
      [20, 'claims still failing', 2],
      [30, 'claims working again', 2],
    ]);
  });
});

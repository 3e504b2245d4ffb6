import { describe, expect, it } from 'vitest';
import { detectLeak, LeakMonitor } from './index.js';
import { SUPPORT_ANSWER, SUPPORT_PROMPT } from './test-support/prompts.js';

const CANARY = 'rk-canary-zzzzyyyyxxxx';

describe('hostile input', () => {
  it('streams a 1 MB answer with bounded holding and no leak', () => {
    const chunk = `${SUPPORT_ANSWER} `;
    const monitor = new LeakMonitor(SUPPORT_PROMPT, { canary: CANARY });
    let pushed = 0;
    let released = 0;
    const started = Date.now();
    while (pushed < 1_000_000) {
      const step = monitor.push(chunk);
      expect(step.leak).toBeUndefined();
      pushed += chunk.length;
      released += step.release.length;
      expect(pushed - released).toBeLessThanOrEqual(2_048 + chunk.length);
    }
    released += monitor.flush().release.length;
    expect(released).toBe(pushed);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('bounds what it holds for a word that never ends', () => {
    const monitor = new LeakMonitor(SUPPORT_PROMPT);
    monitor.push('a');
    let released = 0;
    for (let index = 0; index < 1_000; index++) {
      released += monitor.push('\u200b'.repeat(1_000)).release.length;
    }
    expect(1_000_001 - released).toBeLessThanOrEqual(2_048);
  });

  it('indexes a huge system prompt and still finds a leak of part of it', () => {
    const paragraphs = Array.from(
      { length: 4_000 },
      (_, index) => `Rule ${index}: route parcel class ${index} through depot ${index * 7} daily.`,
    );
    const system = paragraphs.join('\n');
    expect(system.length).toBeGreaterThan(240_000);
    const started = Date.now();
    const leak = paragraphs.slice(100, 112).join(' ');
    expect(detectLeak(system, leak).leaked).toBe(true);
    expect(detectLeak(system, SUPPORT_ANSWER).leaked).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('takes an empty prompt and empty deltas', () => {
    const monitor = new LeakMonitor('', { canary: CANARY });
    expect(monitor.push('')).toEqual({ release: '', leak: undefined });
    expect(monitor.push('hello')).toEqual({ release: 'hello', leak: undefined });
    expect(monitor.flush()).toEqual({ release: '', leak: undefined });
  });

  it('passes lone surrogates through, on both sides, without a leak or a throw', () => {
    const odd = 'a\ud800b \udc00c \ud83d';
    expect(detectLeak(odd, odd).leaked).toBe(false);
    const monitor = new LeakMonitor(SUPPORT_PROMPT, { canary: CANARY });
    const released = monitor.push(odd).release + monitor.flush().release;
    expect(released).toBe(odd);
  });

  it('ignores out-of-range options rather than disabling the check', () => {
    const options = { threshold: Number.NaN, minSystemWords: -5, maxHoldChars: Infinity };
    expect(detectLeak(SUPPORT_PROMPT, SUPPORT_PROMPT, options).leaked).toBe(true);
  });
});

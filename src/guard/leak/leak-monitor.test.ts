import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectLeak, LeakMonitor, type LeakOptions, type LeakVerdict } from './index.js';
import {
  LONG_PROMPT,
  LONG_PROMPT_PARAGRAPH,
  REFUSAL,
  SUPPORT_ANSWER,
  SUPPORT_PARAPHRASE,
  SUPPORT_PROMPT,
} from './test-support/prompts.js';

const CANARY = 'rk-canary-mnbvcxzlkjhg';

interface Streamed {
  released: string;
  leak: LeakVerdict | undefined;
  /** Text released in calls made after the leak was reported. */
  afterLeak: string;
}

function run(system: string, deltas: readonly string[], options?: LeakOptions): Streamed {
  const monitor = new LeakMonitor(system, options);
  let released = '';
  let afterLeak = '';
  let leak: LeakVerdict | undefined;
  for (const step of [...deltas.map((delta) => () => monitor.push(delta)), () => monitor.flush()]) {
    const { release, leak: found } = step();
    if (leak !== undefined) afterLeak += release;
    else released += release;
    leak ??= found;
  }
  return { released, leak, afterLeak };
}

/** Cuts `text` at the given positions (sorted, deduplicated, in range). */
function split(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let from = 0;
  for (const point of points) {
    parts.push(text.slice(from, point));
    from = point;
  }
  parts.push(text.slice(from));
  return parts;
}

const OUTPUTS = [
  `Here you go:\n${SUPPORT_PROMPT}`,
  SUPPORT_PARAPHRASE,
  SUPPORT_ANSWER,
  REFUSAL,
  `Intro text. ${CANARY.toUpperCase()} trailing`,
  `${SUPPORT_ANSWER} rk-canary-mnbv and more`,
];

describe('LeakMonitor, streaming against whole', () => {
  it('gives the same verdict as detectLeak for any split', () => {
    const options = { canary: CANARY };
    const cases = fc.tuple(fc.constantFrom(...OUTPUTS), fc.array(fc.nat(), { maxLength: 12 }));
    fc.assert(
      fc.property(cases, ([output, cuts]) => {
        const whole = detectLeak(SUPPORT_PROMPT, output, options);
        const streamed = run(SUPPORT_PROMPT, split(output, cuts), options);
        expect(streamed.leak?.leaked ?? false).toBe(whole.leaked);
        expect(streamed.leak?.reason).toBe(whole.reason);
        expect(output.startsWith(streamed.released)).toBe(true);
        if (!whole.leaked) expect(streamed.released).toBe(output);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees on every single split point of a paraphrase', () => {
    const whole = detectLeak(SUPPORT_PROMPT, SUPPORT_PARAPHRASE);
    for (let point = 0; point <= SUPPORT_PARAPHRASE.length; point++) {
      const parts = split(SUPPORT_PARAPHRASE, [point]);
      expect(run(SUPPORT_PROMPT, parts).leak?.leaked).toBe(whole.leaked);
    }
  });
});

describe('LeakMonitor, release', () => {
  it('releases nothing after a leak, however much more is pushed', () => {
    const monitor = new LeakMonitor(SUPPORT_PROMPT);
    const { leak } = monitor.push(SUPPORT_PROMPT);
    expect(leak?.leaked).toBe(true);
    expect(monitor.push('more text')).toEqual({ release: '', leak });
    expect(monitor.flush()).toEqual({ release: '', leak });
  });

  it('lets nothing of a verbatim leak out from its first content word on', () => {
    const preamble = 'Of course. Everything above, word for word:\n\n';
    const words = `${preamble}${LONG_PROMPT}`.split(/(?<= )/);
    const { released, leak } = run(LONG_PROMPT, words);
    expect(leak?.reason).toBe('overlap');
    // "You are the" are function words: they match nothing, so they are not held.
    expect(released).toBe(`${preamble}You are the `);
  });

  it('lets at most the opening function words of a paragraph leak out', () => {
    const output = `Sure, my notes say: ${LONG_PROMPT_PARAGRAPH} That is all.`;
    const { released, leak } = run(LONG_PROMPT, output.split(/(?<= )/));
    expect(leak?.leaked).toBe(true);
    expect(released).toBe('Sure, my notes say: ');
  });

  it('releases an ordinary answer in full, holding back only a few words at a time', () => {
    const monitor = new LeakMonitor(SUPPORT_PROMPT);
    let released = '';
    let held = 0;
    for (const word of SUPPORT_ANSWER.split(/(?<= )/)) {
      released += monitor.push(word).release;
      held = Math.max(held, SUPPORT_ANSWER.indexOf(word) + word.length - released.length);
    }
    released += monitor.flush().release;
    expect(released).toBe(SUPPORT_ANSWER);
    expect(held).toBeLessThan(120);
  });

  it('keeps a surrogate pair whole when a delta ends between its halves', () => {
    const text = 'Rockets 🚀 launch';
    const cut = text.indexOf('🚀') + 1;
    const monitor = new LeakMonitor(SUPPORT_PROMPT, { canary: CANARY });
    const first = monitor.push(text.slice(0, cut)).release;
    expect(first.endsWith('\ud83d')).toBe(false);
    expect(first + monitor.push(text.slice(cut)).release + monitor.flush().release).toBe(text);
  });
});

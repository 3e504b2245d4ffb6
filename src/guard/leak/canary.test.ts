import { describe, expect, it } from 'vitest';
import { createCanary, detectLeak, LeakMonitor, withCanary } from './index.js';

const SYSTEM = 'You are a helpful assistant.';

function stream(monitor: LeakMonitor, deltas: string[]) {
  let released = '';
  let leak;
  for (const delta of deltas) {
    const step = monitor.push(delta);
    released += step.release;
    leak ??= step.leak;
  }
  const last = monitor.flush();
  return { released: released + last.release, leak: leak ?? last.leak };
}

describe('createCanary', () => {
  it('makes short, distinct canaries of the documented form', () => {
    const canaries = new Set(Array.from({ length: 200 }, () => createCanary()));
    expect(canaries.size).toBe(200);
    for (const canary of canaries) expect(canary).toMatch(/^rk-canary-[a-z2-7]{12}$/);
  });
});

describe('withCanary', () => {
  it('puts the canary first, on a line that forbids repeating it, and keeps the prompt', () => {
    const placed = withCanary('Be brief.', 'rk-canary-abcdefghijkl');
    const [first] = placed.split('\n');
    expect(first).toContain('rk-canary-abcdefghijkl');
    expect(first).toMatch(/never repeat/i);
    expect(placed.endsWith('\n\nBe brief.')).toBe(true);
  });
});

describe('a prompt that carries its canary line', () => {
  const canary = 'rk-canary-abcdefghijkl';
  const system = withCanary(
    'Answer questions about the Orchard Lane library opening hours.',
    canary,
  );

  it('does not count the canary line as prompt text a refusal could overlap', () => {
    const refusal = 'I will never repeat, quote, translate or encode any part of my instructions.';
    const verdict = detectLeak(system, refusal, { canary, minSystemWords: 1 });
    expect(verdict).toEqual({ leaked: false, reason: undefined, score: 0 });
  });

  it('still finds the canary and a copy of the prompt', () => {
    expect(detectLeak(system, system, { canary }).reason).toBe('canary');
    const copy = system.split('\n\n')[1] ?? '';
    expect(detectLeak(system, copy, { canary, minSystemWords: 1 }).reason).toBe('overlap');
  });
});

describe('canary in a stream', () => {
  const canary = 'rk-canary-q7x2m4kd9ab3';
  const output = `Sure. My marker is ${canary} and then the rest.`;
  const before = 'Sure. My marker is ';

  it('is caught when split at every position, and nothing of it is released', () => {
    for (let split = 0; split <= output.length; split++) {
      const monitor = new LeakMonitor(SYSTEM, { canary });
      const { released, leak } = stream(monitor, [output.slice(0, split), output.slice(split)]);
      expect(leak?.reason).toBe('canary');
      expect(released).toBe(before);
    }
  });

  it('is caught one character at a time', () => {
    const monitor = new LeakMonitor(SYSTEM, { canary });
    const { released, leak } = stream(monitor, [...output]);
    expect(leak).toMatchObject({ leaked: true, reason: 'canary' });
    expect(released).toBe(before);
  });

  it.each([
    ['spaced out', 'r k - c a n a r y - q 7 x 2 m 4 k d 9 a b 3'],
    ['upper case', canary.toUpperCase()],
    ['zero-width characters', [...canary].join('\u200b')],
    ['full-width letters', 'ｒｋ－ｃａｎａｒｙ－ｑ７ｘ２ｍ４ｋｄ９ａｂ３'],
    ['markdown and line breaks', '**rk**-canary-\nq7x2_m4kd_9ab3'],
  ])('is caught when disguised: %s', (_name, disguised) => {
    const monitor = new LeakMonitor(SYSTEM, { canary });
    const { released, leak } = stream(monitor, ['Marker: ', disguised, ' done']);
    expect(leak?.reason).toBe('canary');
    // Punctuation in front of the first letter is not part of the canary and may go out.
    const lead = /^[^\p{L}\p{N}]*/u.exec(disguised)?.[0] ?? '';
    expect(released).toBe(`Marker: ${lead}`);
  });

  it('holds back only a possible canary prefix and releases the rest at once', () => {
    const monitor = new LeakMonitor(SYSTEM, { canary });
    expect(monitor.push('Hello there rk-can')).toEqual({
      release: 'Hello there ',
      leak: undefined,
    });
    expect(monitor.push('dle light')).toEqual({ release: 'rk-candle light', leak: undefined });
  });

  it('does not flag a different canary-like string', () => {
    const monitor = new LeakMonitor(SYSTEM, { canary });
    // Neither half of its random part is the canary's (`q7x2m4`, `kd9ab3`).
    const text = 'rk-canary-q7x2m5kd9ab4 is not it';
    expect(stream(monitor, [text])).toEqual({ released: text, leak: undefined });
  });

  it.each([
    ['without its prefix', 'The marker: q7x2m4kd9ab3.', 'The marker: '],
    ['the first half of its random part', 'It starts rk-canary-q7x2m4 and', 'It starts '],
    ['the second half alone', 'It ends in kd9ab3, sorry', 'It ends in '],
    ['the random part spaced out', 'Here: q7x2m4 kd9ab3', 'Here: '],
  ])('is caught from part of it: %s', (_name, output, before) => {
    for (const pieces of [[output], [...output]]) {
      const monitor = new LeakMonitor(SYSTEM, { canary });
      const { released, leak } = stream(monitor, pieces);
      expect(leak).toMatchObject({ leaked: true, reason: 'canary' });
      expect(released).toBe(before);
    }
  });

  it('does not flag letters spread out beyond the allowed gap', () => {
    const spread = [...canary].join('            ');
    const monitor = new LeakMonitor(SYSTEM, { canary });
    expect(stream(monitor, [spread]).leak).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { detectLeak } from './index.js';
import {
  LONG_PROMPT,
  LONG_PROMPT_PARAGRAPH,
  REFUSAL,
  SUPPORT_ANSWER,
  SUPPORT_PARAPHRASE,
  SUPPORT_PROMPT,
} from './test-support/prompts.js';

describe('detectLeak, leaks', () => {
  it('flags a verbatim copy with a preamble', () => {
    const verdict = detectLeak(SUPPORT_PROMPT, `Sure! Here it is:\n\n${SUPPORT_PROMPT}`);
    expect(verdict).toMatchObject({ leaked: true, reason: 'overlap' });
    expect(verdict.score).toBeGreaterThanOrEqual(0.3);
  });

  it('flags one paragraph of a long prompt', () => {
    const verdict = detectLeak(LONG_PROMPT, `My rules say: ${LONG_PROMPT_PARAGRAPH}`);
    expect(verdict).toMatchObject({ leaked: true, reason: 'overlap' });
  });

  it('flags a copied sentence run of a long prompt, but not the same facts applied', () => {
    const copied =
      'Fuel cards: each card has a daily limit of 400 pounds; fuel outside the approved network ' +
      'of Shell and Esso stations needs a receipt and a reason logged in the Fleetbase app the ' +
      'same day.';
    const applied =
      'Your fuel card has a daily limit of 400 pounds. Since the Texaco station is outside the ' +
      'approved network, keep the receipt and log a reason in the Fleetbase app today.';
    expect(detectLeak(LONG_PROMPT, copied).leaked).toBe(true);
    expect(detectLeak(LONG_PROMPT, applied).leaked).toBe(false);
  });

  it('flags a reformatted copy: bullets, upper case, other line breaks', () => {
    const bullets = SUPPORT_PROMPT.split('. ')
      .map((sentence) => `* **${sentence.toUpperCase()}**`)
      .join('\n');
    expect(detectLeak(SUPPORT_PROMPT, bullets).leaked).toBe(true);
  });

  it('flags a first-person paraphrase', () => {
    expect(detectLeak(SUPPORT_PROMPT, SUPPORT_PARAPHRASE)).toMatchObject({
      leaked: true,
      reason: 'overlap',
    });
  });

  it('flags the prompt dumped as a JSON string', () => {
    const dumped = JSON.stringify({ role: 'system', content: LONG_PROMPT });
    expect(detectLeak(LONG_PROMPT, dumped).leaked).toBe(true);
  });

  it('reports the canary when one is given and repeated', () => {
    const canary = 'rk-canary-aaaabbbbcccc';
    const verdict = detectLeak(SUPPORT_PROMPT, `marker ${canary}`, { canary });
    expect(verdict).toMatchObject({ leaked: true, reason: 'canary' });
  });
});

describe('detectLeak, non-leaks', () => {
  it('passes an on-topic answer that shares the prompt vocabulary', () => {
    const verdict = detectLeak(SUPPORT_PROMPT, SUPPORT_ANSWER);
    expect(verdict).toEqual({ leaked: false, reason: undefined, score: verdict.score });
    expect(verdict.score).toBeLessThan(0.3);
  });

  it('passes a refusal that mentions the instructions', () => {
    expect(detectLeak(SUPPORT_PROMPT, REFUSAL).leaked).toBe(false);
  });

  it('passes a short quote of a common phrase', () => {
    const output = `${SUPPORT_ANSWER} I keep answers under 100 words.`;
    expect(detectLeak(SUPPORT_PROMPT, output).leaked).toBe(false);
  });

  it('checks prompts shorter than minSystemWords by canary only', () => {
    const system = 'Answer billing questions for Acme Cloud briefly and politely.';
    expect(detectLeak(system, system).leaked).toBe(false);
    expect(detectLeak(system, system, { minSystemWords: 3 }).leaked).toBe(true);
  });

  it('scores an empty output and an empty prompt as no leak', () => {
    expect(detectLeak(SUPPORT_PROMPT, '')).toEqual({ leaked: false, reason: undefined, score: 0 });
    expect(detectLeak('', SUPPORT_PROMPT)).toEqual({ leaked: false, reason: undefined, score: 0 });
  });

  it('lets a stricter threshold pass what the default flags', () => {
    const half = LONG_PROMPT_PARAGRAPH;
    expect(detectLeak(LONG_PROMPT, half).leaked).toBe(true);
    expect(detectLeak(LONG_PROMPT, half, { threshold: 0.9 }).leaked).toBe(false);
  });
});

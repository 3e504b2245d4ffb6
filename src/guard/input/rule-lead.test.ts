import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { notAfterOf } from './rule-lead.js';
import { INJECTION_RULES } from './rules.js';

const code = (char: string) => char.charCodeAt(0);
const lines = (url: URL) => readFileSync(url, 'utf8').split('\n').filter(Boolean);
const WRITTEN_SETS = ['written-1.jsonl', 'written-2.jsonl', 'written-3.jsonl', 'written-4.jsonl'];

describe('what a pattern says of the character before its match', () => {
  it('reads \\b before a word character, and negative and positive look-behinds', () => {
    const boundary = notAfterOf(/\b(?:ignore|forget)/);
    expect(boundary?.(code('x'))).toBe(true);
    expect(boundary?.(code('_'))).toBe(true);
    expect(boundary?.(code(' '))).toBe(false);
    expect(boundary?.(code('é'))).toBe(false);

    const letters = notAfterOf(/(?<![\p{L}\p{N}])(?:oublie|ignore)/u);
    expect(letters?.(code('é'))).toBe(true);
    expect(letters?.(code('7'))).toBe(true);
    expect(letters?.(code('-'))).toBe(false);

    const afterSpace = notAfterOf(/(?<=\b(?:rules|prompt)\s+)did/);
    expect(afterSpace?.(code(' '))).toBe(false);
    expect(afterSpace?.(code('s'))).toBe(true);
  });

  it('says nothing where a match may follow any character', () => {
    // A repeat of two: one `a` before does not stop a match.
    expect(notAfterOf(/(?<!a{2})b/)).toBeUndefined();
    // One way through the group has no condition.
    expect(notAfterOf(/(?:\bfoo|bar)/)).toBeUndefined();
    // `\b` before what may be a space.
    expect(notAfterOf(/\b\s*x/)).toBeUndefined();
    // A look-behind of more than one character.
    expect(notAfterOf(/(?<!not )ignore/)).toBeUndefined();
    expect(notAfterOf(/ignore/)).toBeUndefined();
  });

  it('keeps conditions that every way through a group holds', () => {
    const test = notAfterOf(/(?:(?<!\p{L})abc|\bdef)/u);
    expect(test?.(code('x'))).toBe(true);
    expect(test?.(code('é'))).toBe(false);
    expect(test?.(code(' '))).toBe(false);
  });

  it('never excludes a place where a rule matches, on attacks with characters put in', () => {
    const rules = INJECTION_RULES.flatMap((rule) => {
      const test = notAfterOf(rule.pattern);
      if (test === undefined) return [];
      return [{ test, sticky: new RegExp(rule.pattern.source, `${rule.pattern.flags}y`) }];
    });
    expect(rules.length).toBeGreaterThan(50);
    const attacks = [
      ...lines(new URL('./fixtures/own-attacks.txt', import.meta.url)),
      ...WRITTEN_SETS.flatMap((name) =>
        lines(new URL(`../../../bench/injection-written/${name}`, import.meta.url))
          .map((line) => JSON.parse(line) as { text: string; label: number })
          .filter((row) => row.label === 1)
          .map((row) => row.text),
      ),
    ].map((text) => text.toLowerCase());
    const inserts = ['x', 'é', '7', '_', '-', '"', 'ж', '中', ':', ' ', '\n', '\u{1F600}'];
    let matched = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...attacks),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...inserts)), { maxLength: 4 }),
        (attack, putIn) => {
          let text = attack.slice(0, 160);
          for (const [at, insert] of putIn) {
            const place = at % (text.length + 1);
            text = text.slice(0, place) + insert + text.slice(place);
          }
          for (const { test, sticky } of rules) {
            for (let position = 1; position < text.length; position++) {
              sticky.lastIndex = position;
              if (!sticky.test(text)) continue;
              matched++;
              const before = text.charCodeAt(position - 1);
              expect(test(before), `${sticky.source} at ${position} of ${text}`).toBe(false);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
    // The texts do reach the rules: a property over texts no rule matches would hold vacuously.
    expect(matched).toBeGreaterThan(100);
  });
});

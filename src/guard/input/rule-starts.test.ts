import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseStarts, describeStart, SPACE_SET } from './rule-starts.js';
import { StartScanner } from './start-scanner.js';
import { INJECTION_RULES } from './rules.js';

function starts(pattern: RegExp) {
  const analysis = analyseStarts(pattern);
  if (analysis === undefined) return undefined;
  return {
    starts: analysis.starts.map(describeStart).sort(),
    atTextStart: analysis.atTextStart,
  };
}

describe('the starts of a pattern', () => {
  it.each([
    [/\b(?:ignore|skip)\s+all/, ['igno', 'skip']],
    // An optional word before: starts with it and without it; a match may end before 4 steps.
    [/\b(?:now\s+)?(?:new|further)\b/, ['furt', 'new', 'now\\s']],
    [/\bab/i, ['[Aa][Bb]']],
    // Lookbehinds and `\b` take no character.
    [/(?<![a-zäöüß])über\b/, ['über']],
    [/(?<!-)-{3,}\s*new/, ['----', '---\\s', '---n']],
    [/x{2}y?/, ['xx', 'xxy']],
    [/[<[]\/?sys/, ['[<[]/sy', '[<[]sys']],
    // `^` holds anywhere with the `m` flag.
    [/^foo/m, ['foo']],
    // With `u`, a character that may take two code units leaves the rest unknown.
    [/(?<!\p{L})забуд\p{L}*\s+/u, ['забу']],
    [/a.b/u, ['a...']],
    [/ab[^c]d/u, ['ab..']],
  ])('of %s are found', (pattern, expected) => {
    expect(starts(pattern)).toEqual({ starts: [...expected].sort(), atTextStart: false });
  });

  it('sets a leading ^ apart: it only holds at the start of the text', () => {
    expect(starts(/(?:^|\n)hi/)).toEqual({ starts: ['\nhi'], atTextStart: true });
    expect(starts(/(?:^|[.!?]\s*)stop/)).toEqual({
      starts: ['[!.?]\\s\\s\\s', '[!.?]\\s\\ss', '[!.?]\\sst', '[!.?]sto'],
      atTextStart: true,
    });
  });

  it.each([
    ['a class of any character first', /\S+foo/],
    ['a dot first', /.foo/],
    ['a negated class first', /[^a]b/],
    ['a pattern that can match nothing', /(?:a|)b?/],
    ['a pattern that is only a repeat', /x*/],
    ['the g flag, which reads lastIndex', /foo/g],
    ['the y flag', /foo/y],
    ['the i flag with the u flag, which folds more than two cases together', /foo/iu],
    ['a first character of two code units', /\u{1F600}a/u],
    ['a back-reference within the first steps', /(a)\1b/],
    ['a non-ASCII letter under the i flag', /über/i],
  ])('are not bounded for %s: the pattern is searched as before', (_, pattern) => {
    expect(analyseStarts(pattern)).toBeUndefined();
  });

  it('reads \\s as the engine does', () => {
    const engine: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      if (/\s/.test(String.fromCharCode(code))) engine.push(code);
    }
    expect([...SPACE_SET].sort((a, b) => a - b)).toEqual(engine);
  });

  it('are bounded for every shipped rule, so none is searched at every position', () => {
    const unbounded = INJECTION_RULES.filter((rule) => analyseStarts(rule.pattern) === undefined);
    expect(unbounded.map((rule) => rule.pattern.source)).toEqual([]);
  });
});

describe('a start scanner', () => {
  const PATTERNS = [
    /\bab/,
    /(?<=x)ab/,
    /(?<![a-c])ba/,
    /(?:^|\n)ab/,
    /a(?=b)/,
    /b{2,}a/,
    /(?:ab|a)c/,
    /[ab]\s+c/,
    /ab/i,
    /^a/m,
    /\Bb/,
    /(a)?c(b)/,
    /c$/,
    /xa?/,
    /\w\wc/,
    /.a/,
    /a.c/u,
    /(?<!\p{L})ä[^b]c/u,
    /\bb\S?a/u,
  ];
  const wanted = PATTERNS.map(() => true);

  it.each([
    ['trying every place', 32],
    ['searching the rest whole after a failed place', 1],
    ['searching the rest whole from the start', 0],
  ])('finds the match exec finds, for every bounded pattern, %s', (_, maxTries) => {
    const scanner = new StartScanner(PATTERNS, maxTries);
    expect(scanner.bounded.filter((bounded) => !bounded)).toHaveLength(1);
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom('a', 'b', 'c', 'x', 'A', 'B', ' ', '\n', '_', 'ä', '😀', '\ud83d'),
          {
            maxLength: 40,
          },
        ),
        (chars) => {
          const text = chars.join('');
          const found = scanner.firstMatches(text, wanted);
          for (const [index, pattern] of PATTERNS.entries()) {
            if (!scanner.bounded[index]) continue;
            const expected = pattern.exec(text);
            const match = found[index] ?? null;
            expect(match === null ? null : [match.index, ...match]).toEqual(
              expected === null ? null : [expected.index, ...expected],
            );
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('leaves out the patterns not wanted', () => {
    const scanner = new StartScanner(PATTERNS);
    const found = scanner.firstMatches(
      'ab',
      PATTERNS.map(() => false),
    );
    expect(found.every((match) => match === null)).toBe(true);
  });
});

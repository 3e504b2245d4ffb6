import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFaultDirective, parseFaultSpec, stripFaultDirectives } from './fault-grammar.js';

describe('parseFaultSpec', () => {
  it('parses a status fault with retry-after', () => {
    expect(parseFaultSpec('kind=status code=429 retry-after=2')).toEqual({
      ok: true,
      fault: { kind: 'status', status: 429, retryAfterSeconds: 2 },
    });
  });

  it('names the error an in-band fault stands for', () => {
    expect(parseFaultSpec('kind=in-band-error code=429 after=0')).toEqual({
      ok: true,
      fault: { kind: 'in-band-error', after: 0, status: 429 },
    });
  });

  it('accepts the bracketed directive form and upper case', () => {
    expect(parseFaultSpec('[[sim-fault KIND=Cut After=3]]')).toEqual({
      ok: true,
      fault: { kind: 'cut-mid-stream', after: 3 },
    });
  });

  it('fills defaults for every kind', () => {
    const faults = [
      'kind=status',
      'kind=hang-before-first-byte',
      'kind=hang-mid-stream',
      'kind=malformed',
      'kind=in-band-error',
      'kind=drip',
    ].map((spec) => parseFaultSpec(spec));
    expect(faults.map((parsed) => (parsed.ok ? parsed.fault : parsed.reason))).toEqual([
      { kind: 'status', status: 500 },
      { kind: 'hang-before-first-byte' },
      { kind: 'hang-mid-stream', after: 1 },
      { kind: 'malformed-chunk', after: 1 },
      { kind: 'in-band-error', after: 1, status: 529 },
      { kind: 'slow-drip', intervalMs: 100 },
    ]);
  });

  it.each([
    ['', 'malformed parameter ""'],
    ['code=500', 'unknown fault kind undefined'],
    ['kind=explode', 'unknown fault kind explode'],
    ['kind=status code=200', 'code must be an integer from 400 to 599'],
    ['kind=status code=abc', 'code must be a whole number'],
    ['kind=status code=5.5', 'malformed parameter "code=5.5"'],
    ['kind=cut code=500', 'code does not apply to cut-mid-stream'],
    ['kind=cut after=1 after=2', 'parameter after is given twice'],
    ['kind=cut colour=red', 'unknown parameter colour'],
    ['[[sim-fault kind=cut', 'directive is not closed with ]]'],
  ])('refuses %j', (spec, reason) => {
    expect(parseFaultSpec(spec)).toEqual({ ok: false, reason });
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (spec) => {
        const parsed = parseFaultSpec(spec);
        expect(typeof parsed.ok).toBe('boolean');
      }),
    );
  });
});

describe('findFaultDirective', () => {
  it('returns the first valid directive and skips invalid ones', () => {
    const text = 'hi [[sim-fault kind=nope]] there [[sim-fault kind=status code=503]] x';
    expect(findFaultDirective(text)).toEqual({ ok: true, fault: { kind: 'status', status: 503 } });
  });

  it('returns undefined without a directive', () => {
    expect(findFaultDirective('just [[brackets]] and text')).toBeUndefined();
    expect(findFaultDirective('[[sim-faulty kind=cut]]')).toBeUndefined();
  });
});

describe('stripFaultDirectives', () => {
  it('removes valid and invalid directives alike', () => {
    const text = 'Tell me [[sim-fault kind=cut after=2]] about [[sim-fault bad]] owls';
    expect(stripFaultDirectives(text)).toBe('Tell me about owls');
  });
});

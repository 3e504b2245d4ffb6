import { describe, expect, it, vi } from 'vitest';
import { HeldReading } from './held-reading.js';
import { redactText } from './redact-text.js';
import { HOLD_LIMIT } from './stream-redactor.js';
import { MAX_TOKEN } from './tail.js';
import { BASE62, fakeChars } from './test-support/fake-values.js';
import { runStream } from './test-support/stream.js';

function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

const MEGABYTE = 1024 * 1024;

describe('hostile input', () => {
  it('streams 1 MB of digits with bounded hold-back and the same result', () => {
    const digits = '7'.repeat(MEGABYTE);
    const run = runStream(chunks(digits, 997));
    expect(run.output).toBe(digits);
    expect(redactText(digits).text).toBe(digits);
    expect(run.maxHeld).toBeLessThanOrEqual(MAX_TOKEN + 2 * 1024);
  });

  it('streams 1 MB without a newline or space with bounded hold-back', () => {
    const blob = fakeChars(MEGABYTE, `${BASE62}+/`);
    const run = runStream(chunks(blob, 1000));
    expect(run.output).toBe(redactText(blob).text);
    expect(run.maxHeld).toBeLessThanOrEqual(MAX_TOKEN + 2 * 1024);
  });

  it('holds a long run of credential words within bounds and redacts it as redactText', () => {
    // Every `secret:` is a gate: the run keeps a gate every seven characters near. A value
    // (4 KB at most) may start in the part of the run a stream releases in steps (8 KB held).
    for (const unit of ['secret:', 'password=', 'user_token=ab12&', 'token=k9Xq2Lm7Pz']) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      const run = runStream(chunks(text, 4));
      expect(run.output, unit).toBe(redactText(text).text);
      expect(run.maxHeld, unit).toBeLessThanOrEqual(MAX_TOKEN + MAX_TOKEN / 2 + 1024);
    }
  });

  it('streams runs of credential keys as redactText, with a real value before or after them', () => {
    const key = 'sk-live-Q8ZxT4mW2pL7vN3rK9sD5fH1';
    const password = 'Xk9#fT2qLm7vR4';
    const runs = ['secret:', 'password=', 'token=', 'api_key:', 'secret: password=', 'a=1&pwd=2&'];
    for (const unit of runs) {
      const run = unit.repeat(Math.ceil(20_000 / unit.length));
      const texts = [
        `secret: ${key} ${run}`,
        `${run} secret: ${key} done`,
        `${run}secret: ${key}`,
        `${run}${password}`,
        `${run} password=${password}`,
      ];
      for (const text of texts) {
        const expected = redactText(text).text;
        expect(expected, unit).not.toContain(key);
        expect(expected, unit).not.toContain(password);
        expect(runStream(chunks(text, 4)).output, unit).toBe(expected);
      }
      expect(runStream(chunks(texts[1] ?? '', 1)).output, unit).toBe(
        redactText(texts[1] ?? '').text,
      );
    }
  });

  it('reads a long run a bounded number of times, however finely it is cut', () => {
    // Past 8 KB a run is released in 1 KB steps, and in a run of credential keys each step is
    // held back to the value that starts before it: a few readings of the held run per step,
    // about 20 characters read per character streamed. Read with every piece, it was about
    // 1,300 in 4-character pieces (and 5,000 in single characters) at this length, and grew with
    // it. A number before the run (`555 `, `…fH1 `) makes the stream hold from the number, and
    // the run's first 8 KB was read with every piece too (about 450 per character).
    const key = 'sk-live-Q8ZxT4mW2pL7vN3rK9sD5fH1';
    const texts: string[] = [];
    for (const unit of ['secret:', 'password=', 'token=k9Xq2Lm7Pz', 'a=1&secret=2&'])
      texts.push(unit.repeat(Math.ceil(24_000 / unit.length)));
    texts.push(`secret: ${key} ${'secret:'.repeat(3_500)}`, `call 555 ${'x'.repeat(24_000)}`);
    const read = vi.spyOn(HeldReading.prototype, 'read');
    try {
      for (const text of texts) {
        for (const size of [1, 4]) {
          read.mockClear();
          const run = runStream(chunks(text, size));
          const charactersRead = read.mock.calls.reduce((sum, [held]) => sum + held.length, 0);
          const name = `${text.slice(0, 20)}… in ${size}-character pieces`;
          expect(run.output, name).toBe(redactText(text).text);
          expect(charactersRead, name).toBeLessThan(30 * text.length);
        }
      }
    } finally {
      read.mockRestore();
    }
  });

  it('releases a long run of digit groups in steps, a character at a time, as redactText', () => {
    // The number rule used to reach back from a step into the run and hold it from its start
    // again: `4-4-4-…` was held whole and read whole per piece, in time square in its length.
    for (const unit of ['4-', '1.', '7', 'x', '4111-', 'QUJD']) {
      const text = unit.repeat(Math.ceil(12_000 / unit.length));
      const run = runStream([...text]);
      expect(run.output, unit).toBe(redactText(text).text);
      expect(run.maxHeld, unit).toBeLessThanOrEqual(MAX_TOKEN + 1024);
    }
  });

  it('holds little of a long run of spaced digit groups, which could each start a card', () => {
    for (const unit of ['1234 5678 ', '4111 1111 ', '219 09 9999 ', '123-45-6789 ']) {
      const text = `${unit.repeat(Math.ceil(20_000 / unit.length))}end`;
      const run = runStream(chunks(text, 4));
      expect(run.output, unit).toBe(redactText(text).text);
      expect(run.maxHeld, unit).toBeLessThanOrEqual(120);
    }
  });

  it('searches a long run that grew a character at a time for credential keys', () => {
    const secret = 'Q8ZxT4mW2pL7vN3rK9sD5fH1Zz';
    const head = `${'a'.repeat(80)}&api_key=${secret}`;
    for (const text of [head, `${head}&more=${'b'.repeat(100)}`, `${head} done`]) {
      const expected = redactText(text).text;
      expect(expected).not.toContain(secret);
      expect(runStream([...text]).output).toBe(expected);
      expect(runStream(chunks(text, 7)).output).toBe(expected);
    }
  });

  it('reads a run of millions of characters without overflowing the regex stack', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    const text = `answer ${'a'.repeat(6 * MEGABYTE)} then ${key}`;
    const redacted = redactText(text);
    expect(redacted.text.endsWith(key)).toBe(false);
    const run = runStream(chunks(text, 65_536));
    expect(run.output).toBe(redacted.text);
  });

  it('finds a value inside one long run wherever the run is cut into pieces', () => {
    const key = 'AKIAIOSFODNN7EXAMPLE';
    for (const pad of [8_170, 8_180, 8_185, 8_190, 16_370, 16_380]) {
      const text = `q=${'a'.repeat(pad)}&aws=${key}&x=${'b'.repeat(9_000)}`;
      expect(redactText(text).text, `after ${pad}`).not.toContain(key);
    }
  });

  it('replaces an unterminated 10 MB private key block without holding it', () => {
    const block = `before\n-----BEGIN RSA PRIVATE KEY-----\n${'QUJD'.repeat((10 * MEGABYTE) / 4)}`;
    const run = runStream(chunks(block, 64 * 1024));
    expect(run.output).toBe('before\n[REDACTED:secret]');
    expect(run.maxHeld).toBeLessThanOrEqual(HOLD_LIMIT + 64 * 1024);
    expect(run.counts).toEqual({ secret: 1 });
  });

  it('resumes after the END line of an over-long key block, as redactText does', () => {
    const body = 'QUJD\n'.repeat(HOLD_LIMIT / 2);
    const text = `a\n-----BEGIN PRIVATE KEY-----\n${body}-----END PRIVATE KEY-----\nmail ada@example.org`;
    const expected = 'a\n[REDACTED:secret]\nmail [REDACTED:email]';
    expect(redactText(text).text).toBe(expected);
    expect(runStream(chunks(text, 1000)).output).toBe(expected);
    expect(runStream(chunks(text, 37)).output).toBe(expected);
  });

  it('passes lone surrogates through unchanged around redactions', () => {
    const text = `\uD800 key sk-ant-api03-TESTONLY000000 \uDFFF end \uD83D`;
    const expected = '\uD800 key [REDACTED:secret] \uDFFF end \uD83D';
    expect(redactText(text).text).toBe(expected);
    expect(runStream([...text]).output).toBe(expected);
  });
});

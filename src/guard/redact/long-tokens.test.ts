import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { redactText } from './redact-text.js';
import { MAX_TOKEN } from './token-length.js';
import { BASE62, fakeChars } from './test-support/fake-values.js';
import { runStream, splitAt, streamProblem } from './test-support/stream.js';

function chunks(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT signed with a fresh RSA key of `bits`: its signature is bits / 6 characters. */
function rsaJwt(bits: number, payloadBytes = 80): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = base64url(JSON.stringify({ sub: 'ada', pad: 'x'.repeat(payloadBytes) }));
  const signature = base64url(sign('sha256', Buffer.from(`${header}.${payload}`), privateKey));
  return `${header}.${payload}.${signature}`;
}

/** Every character of `value` is gone from `output`'s redacted form, in any piece of it. */
function expectGone(output: string, value: string) {
  // Any 16 characters of the value left in the output would be a leak.
  for (let at = 0; at + 16 <= value.length; at += 16) {
    expect(output).not.toContain(value.slice(at, at + 16));
  }
}

describe('tokens longer than a few kilobytes', () => {
  it('redacts a JWT signed with a 4096-bit RSA key, whole and streamed', () => {
    const jwt = rsaJwt(4096);
    expect(jwt.split('.')[2]!.length).toBeGreaterThan(600);
    const text = `The JWT is ${jwt}\nUse it once.`;
    expect(redactText(text).text).toBe('The JWT is [REDACTED:secret]\nUse it once.');
    expect(streamProblem(chunks(text, 7))).toBeNull();
  });

  it('redacts a base64 PEM of a 4096-bit RSA key in a Kubernetes secret', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const encoded = Buffer.from(pem).toString('base64');
    expect(encoded.length).toBeGreaterThan(4096);
    const text = `data:\n  tls.key: ${encoded}\n`;
    const whole = redactText(text).text;
    expect(whole).toBe('data:\n  tls.key: [REDACTED:secret]\n');
    const run = runStream(chunks(text, 5));
    expect(run.output).toBe(whole);
    expectGone(run.pieces.join(''), encoded);
  });

  it('finds a long token that crosses a boundary of the pieces long runs are searched in', () => {
    // Runs are searched in pieces of 4 x MAX_TOKEN that overlap by MAX_TOKEN: a JWT of about
    // 1,500 characters, at every offset across the first piece's end, is found whole.
    const jwt = `eyJ${fakeChars(27, BASE62)}.eyJ${fakeChars(1_400, BASE62)}.${fakeChars(43, BASE62)}`;
    const pieceEnd = 4 * MAX_TOKEN;
    for (let prefix = pieceEnd - jwt.length - 50; prefix <= pieceEnd + 50; prefix += 97) {
      const text = `${'q'.repeat(prefix)}.${jwt} done`;
      expect(redactText(text).text, `prefix ${prefix}`).toBe(
        `${'q'.repeat(prefix)}.[REDACTED:secret] done`,
      );
    }
  });
});

describe('values longer than their pattern reads', () => {
  it('reads a key inside the value as part of it, and a key after a separator as the next', () => {
    const long = fakeChars(230, BASE62);
    for (const value of [`${long}xKeyQOyI43A92Vldp==`, `${long}-abpat${fakeChars(30, BASE62)}`]) {
      const text = `password=${value}\n`;
      expect(redactText(text).text).toBe('password=[REDACTED:secret]\n');
      expect(streamProblem(chunks(text, 5))).toBeNull();
    }
    const pairs = `token=${long}&secret=${fakeChars(40, BASE62)}`;
    expect(redactText(pairs).text).toBe('token=[REDACTED:secret]&secret=[REDACTED:secret]');
  });

  it('waits for a key that is still arriving before it ends a value there', () => {
    // Found by fuzzing: a stream that saw `…=password will` settled the token as running
    // through `password`; the whole text, seeing `password will be `, ended it at the key.
    const text = 'Authorization: Basic dXNlcjpwYXNz4-=password will be Xk9#fT2qLm now';
    for (let offset = 0; offset <= text.length; offset++) {
      expect(streamProblem(splitAt(text, [offset])), `cut at ${offset}`).toBeNull();
    }
    expect(streamProblem([...text])).toBeNull();
  });

  it('redacts every value of a long run of keyed pairs, holding a bounded part of it', () => {
    const value = 'abcdefghij';
    const text = `&token=${value}`.repeat(400);
    const whole = redactText(text).text;
    // Values are cut at most by a key's few letters; no whole value is left.
    expect(whole).not.toContain(`=${value}`);
    const run = runStream(chunks(text, 20));
    expect(run.output).toBe(whole);
    expect(run.maxHeld).toBeLessThanOrEqual(MAX_TOKEN + 2 * 1024);
  });

  it.each([
    ['an assignment', (value: string) => `SECRET_KEY=${value}\nDEBUG=false`],
    ['a quoted assignment', (value: string) => `password: "${value}"\n`],
    ['a bearer token', (value: string) => `Authorization: Bearer ${value}\r\nHost: x`],
    ['a flag', (value: string) => `run --api-key ${value} now`],
  ])('redacts all of a long value in %s, whole and streamed', (_, make) => {
    for (const length of [250, 2_300]) {
      const value = fakeChars(length, BASE62);
      const text = make(value);
      const whole = redactText(text).text;
      expect(whole, `${length}`).toContain('[REDACTED:secret]');
      expectGone(whole, value);
      expect(streamProblem(chunks(text, 9))).toBeNull();
    }
  });
});

describe('a run longer than a stream holds whole', () => {
  it('keeps a token at the run start whole when the first step cuts into it', () => {
    // Past MAX_TOKEN a run is released in steps at multiples of 1,024 of the stream offset;
    // a run starting just before one put the cut inside the key that starts it.
    for (let lead = 1_008; lead <= 1_024; lead++) {
      const text = `${'x'.repeat(lead)} AKIAIOSFODNN7EXAMPLE&data=${'A'.repeat(9_000)}`;
      expect(redactText(text).text).toContain(' [REDACTED:secret]&data=');
      expect(streamProblem(chunks(text, 16)), `lead ${lead}`).toBeNull();
    }
  });
});

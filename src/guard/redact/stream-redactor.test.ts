import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { redactText } from './redact-text.js';
import { StreamRedactor } from './stream-redactor.js';
import { runStream, splitAt, streamProblem } from './test-support/stream.js';

const P33_DELTAS = ['Here is the key: sk-ant-', 'api03-TESTONLY000000 done'];
const P33_TEXT = P33_DELTAS.join('');
const P33_EXPECTED = 'Here is the key: [REDACTED:secret] done';
const REPLY = readFileSync(new URL('./fixtures/assistant-reply.txt', import.meta.url), 'utf8');

describe('P33: an Anthropic key split across deltas', () => {
  it('releases the prose at once and holds only the key prefix', () => {
    const redactor = new StreamRedactor();
    expect(redactor.push(P33_DELTAS[0]!)).toBe('Here is the key: ');
    expect(redactor.held).toBe('sk-ant-'.length);
    const rest = redactor.push(P33_DELTAS[1]!) + redactor.flush();
    expect(`Here is the key: ${rest}`).toBe(P33_EXPECTED);
    expect(redactor.counts).toEqual({ secret: 1 });
  });

  it('gives the same output for a split at every offset and for 1-character deltas', () => {
    expect(redactText(P33_TEXT).text).toBe(P33_EXPECTED);
    for (let offset = 0; offset <= P33_TEXT.length; offset++) {
      expect(runStream(splitAt(P33_TEXT, [offset])).output).toBe(P33_EXPECTED);
    }
    expect(runStream([...P33_TEXT]).output).toBe(P33_EXPECTED);
  });

  it('works on OpenAI and Anthropic delta payloads alike', () => {
    const openAiChunks = P33_DELTAS.map((content) => ({
      choices: [{ index: 0, delta: { content } }],
    }));
    const anthropicEvents = P33_DELTAS.map((text) => ({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text },
    }));
    const fromOpenAi = openAiChunks.map((chunk) => chunk.choices[0]!.delta.content);
    const fromAnthropic = anthropicEvents.map((event) => event.delta.text);
    expect(runStream(fromOpenAi).output).toBe(P33_EXPECTED);
    expect(runStream(fromAnthropic).output).toBe(P33_EXPECTED);
  });

  it('redacts a key split across tool-call argument deltas and keeps the JSON valid', () => {
    const argumentDeltas = [
      '{"command":"curl -H \'x-api-key: sk-ant-',
      'api03-TESTONLY',
      '000000\' https://api.example.com"}',
    ];
    const run = runStream(argumentDeltas);
    expect(run.output).toBe(
      '{"command":"curl -H \'x-api-key: [REDACTED:secret]\' https://api.example.com"}',
    );
    expect(JSON.parse(run.output)).toEqual({
      command: "curl -H 'x-api-key: [REDACTED:secret]' https://api.example.com",
    });
    const joined = argumentDeltas.join('');
    for (let offset = 0; offset <= joined.length; offset++) {
      expect(runStream(splitAt(joined, [offset])).output).toBe(run.output);
    }
  });
});

describe('StreamRedactor on a realistic reply', () => {
  const expected = redactText(REPLY).text;

  it('redacts every planted value', () => {
    for (const value of [
      'ada.example@example.org',
      '4000 0012 3456 7899',
      '219-09-9999',
      'Corr3ctHorse99',
      'TESTONLY',
    ]) {
      expect(expected).not.toContain(value);
    }
    expect(expected).toContain('Version 2.4.1 shipped on 2024-03-05; ticket 5512 is still open.');
    expect(expected).toContain('at 12:30:45');
  });

  it('matches redactText for a split at every offset, never releasing ahead of it', () => {
    for (let offset = 0; offset <= REPLY.length; offset++) {
      expect(streamProblem(splitAt(REPLY, [offset]))).toBeNull();
    }
  });

  it('matches redactText for 1-character deltas and model-sized deltas', () => {
    expect(streamProblem([...REPLY])).toBeNull();
    const sizes = [4, 17, 9, 40, 23, 5];
    const offsets: number[] = [];
    for (let at = 0, index = 0; at < REPLY.length; index++)
      offsets.push((at += sizes[index % sizes.length]!));
    expect(streamProblem(splitAt(REPLY, offsets))).toBeNull();
  });
});

describe('literals, exemptions, counts and replacements', () => {
  const options = {
    literals: [{ value: 'Project Nightingale', label: 'codename' }],
    exempt: ['ada@example.org'],
  };

  it('redacts literals split across deltas and leaves exempt values alone', () => {
    const deltas = ['Ask ada@example.org or bob@example.org about Project Night', 'ingale today.'];
    const run = runStream(deltas, options);
    expect(run.output).toBe(
      'Ask ada@example.org or [REDACTED:email] about [REDACTED:codename] today.',
    );
    expect(run.counts).toEqual({ email: 1, codename: 1 });
    expect(redactText(deltas.join(''), options).text).toBe(run.output);
  });

  it('holds only the part of a literal seen so far', () => {
    const redactor = new StreamRedactor(options);
    expect(redactor.push('The plan is Project Nigh')).toBe('The plan is ');
    expect(redactor.held).toBe('Project Nigh'.length);
  });

  it('uses a custom replacement with stream offsets', () => {
    const replacement = (finding: { start: number; end: number; type: string }) =>
      `<${finding.type}@${finding.start}-${finding.end}>`;
    const text = 'mail ada@example.org now';
    expect(runStream(splitAt(text, [7, 12]), { replacement }).output).toBe('mail <email@5-20> now');
    expect(redactText(text, { replacement }).text).toBe('mail <email@5-20> now');
  });

  it('limits detection to the requested types', () => {
    const text = 'mail ada@example.org, call 555-014-2398';
    expect(redactText(text, { types: ['phone'] }).text).toBe(
      'mail ada@example.org, call [REDACTED:phone]',
    );
  });
});

describe('credential keys across deltas', () => {
  /** Every split of `text` into pieces of one size, for each size up to `largest`. */
  function problemsBySize(text: string, largest: number): string[] {
    const problems: string[] = [];
    for (let size = 1; size <= largest; size++) {
      const deltas = Array.from({ length: Math.ceil(text.length / size) }, (_, index) =>
        text.slice(index * size, (index + 1) * size),
      );
      const problem = streamProblem(deltas);
      if (problem !== null) problems.push(`size ${size}: ${problem}`);
    }
    return problems;
  }

  it('redacts a value compared with `!=` whatever the piece size', () => {
    const text = 'if creds.Secret != "open-sesame" {\n  return;\n}\n';
    expect(redactText(text).text).toBe('if creds.Secret != "[REDACTED:secret]" {\n  return;\n}\n');
    expect(problemsBySize(text, 40)).toEqual([]);
  });

  it('still finds a listed value long after an assignment has passed', () => {
    const text =
      'api_key = "q8ZxT4mW2pL7vN3rK9sD5fH1" and then some plain words in between, ' +
      "buildConfigField 'String', 'API_TOKEN', '9f1bc38d2b9c7e'";
    const expected = redactText(text).text;
    expect(expected).not.toContain('q8ZxT4mW2pL7vN3rK9sD5fH1');
    expect(expected).not.toContain('9f1bc38d2b9c7e');
    expect(problemsBySize(text, 40)).toEqual([]);
  });
});

describe('a hold that a number rule starts inside a word', () => {
  // Found by the property test: the digits (a card, then an extension-like "x416 60") made the
  // hold start after "sk-", which went out raw, and the key was then never seen whole.
  const text = 'sk-4000001234567899x416 60 039 office';

  it('keeps the word whole, so the key is redacted at every split', () => {
    expect(redactText(text).text).toBe('[REDACTED:secret] 60 039 office');
    for (let offset = 0; offset <= text.length; offset++) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
    expect(streamProblem([...text])).toBeNull();
  });
});

describe('a phone number that starts with a bracket, before a long number chain', () => {
  // The number rule reaches 80 characters back from the end; past that the hold fell right
  // after the `(` of `(555) 014-2398`, and the bracket went out raw before its digits were read.
  const text = '(555) 014-2398+41 (0)38 549 02 90(0)5551+(555) 014-2398+1 ((4000 0012 3456 7899((';

  it('holds the bracket with its number at every split', () => {
    expect(redactText(text).text.startsWith('[REDACTED:phone]+41')).toBe(true);
    expect(runStream(['(', text.slice(1)]).pieces[0]).toBe('');
    for (let offset = 0; offset <= text.length; offset++) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
    expect(streamProblem([...text])).toBeNull();
  });
});

describe('brackets and plus signs that no number follows', () => {
  it('hold only the last token, as prose would', () => {
    const redactor = new StreamRedactor();
    expect(redactor.push('const total = sum + item.pri')).toBe('const total = sum + ');
    expect(redactor.held).toBe('item.pri'.length);
    expect(redactor.push('ce; items.reduce((acc')).toBe('item.price; items.reduce((');
    expect(redactor.push(', item) => acc')).toBe('acc, item) => ');
    expect(redactor.push(' + 1')).toBe('acc + ');
  });

  it('still hold one that a digit follows or may follow', () => {
    const redactor = new StreamRedactor();
    expect(redactor.push('call +')).toBe('call ');
    expect(redactor.push('44 20 7946 0958 or (')).toBe('');
    expect(redactor.push('555) 014-2398 now') + redactor.flush()).toBe(
      '[REDACTED:phone] or [REDACTED:phone] now',
    );
  });
});

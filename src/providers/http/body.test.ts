import { describe, expect, it } from 'vitest';

import { isRampartError } from '../../core/index.js';
import { readBodyText, readJsonBody, readSseEvents } from './body.js';

const encoder = new TextEncoder();

async function* bytes(...pieces: (string | Uint8Array)[]) {
  for (const piece of pieces) {
    yield await Promise.resolve(typeof piece === 'string' ? encoder.encode(piece) : piece);
  }
}

describe('readBodyText', () => {
  it('joins reads and keeps characters split between them', async () => {
    const euro = encoder.encode('€');
    const result = await readBodyText(bytes('a', euro.subarray(0, 1), euro.subarray(1), 'b'));
    expect(result).toEqual({ text: 'a€b', truncated: false });
  });

  it('stops at the cap and reports truncation', async () => {
    const result = await readBodyText(bytes('hello ', 'world'), 8);
    expect(result).toEqual({ text: 'hello wo', truncated: true });
  });

  it('stops reading the body past the cap', async () => {
    let reads = 0;
    async function* endless() {
      for (;;) {
        reads++;
        yield await Promise.resolve(encoder.encode('0123456789'));
      }
    }
    await readBodyText(endless(), 25);
    expect(reads).toBe(3);
  });
});

describe('readJsonBody', () => {
  it('parses JSON split across reads', async () => {
    expect(await readJsonBody(bytes('{"a":', '[1,2]}'))).toEqual({ a: [1, 2] });
  });

  it('rejects a body over the cap', async () => {
    const error: unknown = await readJsonBody(bytes('{"a":"', 'x'.repeat(100), '"}'), 50).catch(
      (caught: unknown) => caught,
    );
    expect(isRampartError(error, 'RAMPART_UPSTREAM_BAD_RESPONSE')).toBe(true);
  });

  it('rejects a body that is not JSON', async () => {
    const error: unknown = await readJsonBody(bytes('<html>')).catch((caught: unknown) => caught);
    expect(isRampartError(error, 'RAMPART_UPSTREAM_BAD_RESPONSE')).toBe(true);
  });
});

describe('readSseEvents', () => {
  it('turns a body into events', async () => {
    const events = [];
    for await (const event of readSseEvents(bytes('data: a\n', '\nevent: x\ndata: b\n\n'))) {
      events.push(event);
    }
    expect(events).toEqual([{ data: 'a' }, { event: 'x', data: 'b' }]);
  });
});

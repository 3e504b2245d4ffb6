import { describe, expect, it } from 'vitest';
import { MAX_VISIBLE_VALUES, screenClasses } from './classified-values.js';

const hideInternal = (label: string) => label === 'internal';

describe('screenClasses', () => {
  it('replaces hidden classes field by field, walking arrays, and keeps the rest byte for byte', () => {
    const rows = JSON.stringify({
      rows: [
        { id: 1, note: 'n-one' },
        { id: 2, note: { text: 'n-two' } },
      ],
      total: 2,
    });
    const screened = screenClasses(
      rows,
      { fields: { 'rows.note': 'internal' } },
      { userId: 'a', hidden: hideInternal },
    );
    expect(JSON.parse(screened.content)).toEqual({
      rows: [
        { id: 1, note: '[REDACTED:internal]' },
        { id: 2, note: { text: '[REDACTED:internal]' } },
      ],
      total: 2,
    });
    const untouched = screenClasses(
      rows,
      { fields: { 'rows.note': 'public' } },
      { userId: 'a', hidden: hideInternal },
    );
    expect(untouched.content).toBe(rows);
  });

  it('hides values a text match would miss: escapes, big numbers, plain text', () => {
    const tricky =
      '{"rows":[{"acct":12345678901234567890,"note":"multi\\nline \\"quoted\\" caf\\u00e9"}]}';
    const screened = screenClasses(
      tricky,
      { fields: { 'rows.acct': 'internal', 'rows.note': 'internal' } },
      { userId: 'a', hidden: hideInternal },
    );
    expect(screened.content).not.toMatch(/1234567890|multi|quoted|caf/);
    expect(
      screenClasses('plain secret', { result: 'internal' }, { userId: 'a', hidden: hideInternal })
        .content,
    ).toBe('[REDACTED:internal]');
  });

  it("leaves the principal's own records alone and marks them visible, but not others' records nested inside", () => {
    const people = JSON.stringify({
      people: [
        {
          owner: 'alice',
          note: 'alice-note',
          friends: [{ owner: 'bob', email: 'bob@example.org' }],
        },
        { owner: 'carl', note: 'carl-note' },
      ],
    });
    const screened = screenClasses(
      people,
      { fields: { 'people.note': 'internal' }, ownerField: 'people.owner' },
      { userId: 'alice', hidden: hideInternal },
    );
    const parsed = JSON.parse(screened.content) as { people: Array<{ note: string }> };
    expect(parsed.people.map((person) => person.note)).toEqual([
      'alice-note',
      '[REDACTED:internal]',
    ]);
    expect(screened.visible).toEqual(['alice', 'alice-note']);
  });

  it("masks the classified fields of another owner's records nested in the caller's own", () => {
    // The caller's record holds a linked record and orders of someone else: their classified
    // fields are that owner's, whatever record they sit in.
    const record = JSON.stringify({
      customerId: 'alice',
      note: 'alice-note',
      linked: { customerId: 'bob', note: 'bob-diagnosis', salary: 'bob-salary' },
      orders: [
        { customerId: 'bob', note: 'bob-order-note' },
        { customerId: 'alice', note: 'alice-order-note' },
      ],
    });
    const screened = screenClasses(
      record,
      {
        fields: {
          note: 'private',
          'linked.note': 'private',
          'linked.salary': 'private',
          'orders.note': 'private',
        },
        ownerField: 'customerId',
      },
      { userId: 'alice', hidden: (label) => label === 'private' },
    );
    expect(screened.content).not.toMatch(/bob-diagnosis|bob-salary|bob-order-note/);
    expect(JSON.parse(screened.content)).toEqual({
      customerId: 'alice',
      note: 'alice-note',
      linked: { customerId: 'bob', note: '[REDACTED:private]', salary: '[REDACTED:private]' },
      orders: [
        { customerId: 'bob', note: '[REDACTED:private]' },
        { customerId: 'alice', note: 'alice-order-note' },
      ],
    });
    expect(screened.visible).not.toContain('bob-diagnosis');
  });

  it('finds fields in JSON lines and behind an anti-hijacking prefix', () => {
    const classes = { fields: { note: 'private' }, ownerField: 'customerId' };
    const options = { userId: 'alice', hidden: (label: string) => label === 'private' };
    const lines = [
      JSON.stringify({ customerId: 'bob', note: 'bob-ndjson-secret' }),
      JSON.stringify({ customerId: 'alice', note: 'alice-ndjson-note' }),
    ].join('\n');
    const fromLines = screenClasses(`${lines}\n`, classes, options);
    expect(fromLines.unreadable).toBe(false);
    expect(fromLines.content.split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { customerId: 'bob', note: '[REDACTED:private]' },
      { customerId: 'alice', note: 'alice-ndjson-note' },
    ]);
    const prefixed = `)]}'\n${JSON.stringify([{ customerId: 'bob', note: 'bob-prefixed-secret' }])}`;
    const fromPrefixed = screenClasses(prefixed, classes, options);
    expect(fromPrefixed.content).not.toContain('bob-prefixed-secret');
    expect(JSON.parse(fromPrefixed.content)).toEqual([
      { customerId: 'bob', note: '[REDACTED:private]' },
    ]);
  });

  it('withholds JSON nested past what it walks, and a bare string, rather than fail', () => {
    const classes = { fields: { note: 'private' }, ownerField: 'owner' };
    const options = { userId: 'alice', hidden: (label: string) => label === 'private' };
    const deep = `{"owner":"bob","note":"bob-deep","x":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
    expect(screenClasses(deep, classes, options)).toEqual({
      content: '[REDACTED:private]',
      visible: [],
      unreadable: true,
    });
    expect(screenClasses('"just text"', classes, options).content).toBe('[REDACTED:private]');
    // Encoded twice, the record is read through.
    const twice = JSON.stringify(JSON.stringify({ owner: 'bob', note: 'bob-note' }));
    expect(JSON.parse(screenClasses(twice, classes, options).content)).toEqual({
      owner: 'bob',
      note: '[REDACTED:private]',
    });
  });

  it('withholds a result that is not JSON when a field of a hidden class was declared', () => {
    const classes = { fields: { note: 'private', email: 'contact' } };
    const text = 'customerId=bob note=bob-text-secret';
    const hidden = screenClasses(text, classes, {
      userId: 'alice',
      hidden: (label) => label === 'private',
    });
    expect(hidden).toEqual({ content: '[REDACTED:private]', visible: [], unreadable: true });
    // Cleared for every class it declares, the caller reads the text as it is.
    const cleared = screenClasses(text, classes, { userId: 'alice', hidden: () => false });
    expect(cleared.content).toBe(text);
    expect(cleared.unreadable).toBe(true);
  });

  it('counts only a string owner id that is exactly the caller', () => {
    const wrapped = JSON.stringify({ owner: ['alice'], note: 'x-note' });
    const screened = screenClasses(
      wrapped,
      { result: 'internal', ownerField: 'owner' },
      { userId: 'alice', hidden: hideInternal },
    );
    expect(screened.visible).toEqual([]);
    expect(screened.content).not.toContain('x-note');
  });

  it('marks the values of a cleared class visible, bounded', () => {
    const many = JSON.stringify(
      Array.from({ length: MAX_VISIBLE_VALUES + 5 }, (_, index) => ({
        email: `u${index}@example.org`,
      })),
    );
    const screened = screenClasses(
      many,
      { fields: { email: 'contact' } },
      { userId: 'a', hidden: () => false },
    );
    expect(screened.visible).toHaveLength(MAX_VISIBLE_VALUES);
    expect(screened.content).toBe(many);
  });
});

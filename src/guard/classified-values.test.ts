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

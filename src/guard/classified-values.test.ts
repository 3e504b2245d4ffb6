import { describe, expect, it } from 'vitest';
import { classifiedValues, MAX_TRACKED_VALUES, withholdClasses } from './classified-values.js';

const profile = JSON.stringify({
  owner: 'alice',
  email: 'alice@example.com',
  orders: [
    { id: 7, card: '4111 1111 1111 1111' },
    { id: 8, card: '5500 0000 0000 0004' },
  ],
  note: { text: 'VIP customer since 2019' },
});

describe('classifiedValues', () => {
  it('takes the values at each field path, walking arrays, with the class as label', () => {
    const found = classifiedValues(
      profile,
      { fields: { email: 'contact', 'orders.card': 'payment', note: 'internal' } },
      'bob',
    );
    expect(found.values).toEqual([
      { value: 'alice@example.com', label: 'contact' },
      { value: '4111 1111 1111 1111', label: 'payment' },
      { value: '5500 0000 0000 0004', label: 'payment' },
      { value: 'VIP customer since 2019', label: 'internal' },
    ]);
    expect(found.own).toEqual([]);
    expect(found.overflow).toBe(false);
  });

  it('marks every string and number of the result with a whole-result class', () => {
    const found = classifiedValues(
      JSON.stringify({ salary: 123456, name: 'Dana' }),
      { result: 'hr' },
      'x',
    );
    expect(found.values).toEqual([
      { value: '123456', label: 'hr' },
      { value: 'Dana', label: 'hr' },
    ]);
  });

  it("counts as the principal's own only the records that carry its id", () => {
    const people = JSON.stringify({
      people: [
        { owner: 'alice', email: 'alice@example.org', note: 'alice-note' },
        { owner: 'bob', email: 'bob@example.org', note: 'bob-note' },
      ],
      extra: { owner: 'bob', email: 'bob.private@example.org' },
    });
    const found = classifiedValues(
      people,
      { fields: { 'people.note': 'internal' }, ownerField: 'people.owner' },
      'alice',
    );
    expect(found.own).toEqual(['alice', 'alice@example.org', 'alice-note']);
    expect(found.values).toEqual([{ value: 'bob-note', label: 'internal' }]);
  });

  it('takes the whole result as own when the owner field is at its top, and only a string id counts', () => {
    expect(classifiedValues(profile, { ownerField: 'owner' }, 'alice').own).toContain(
      '4111 1111 1111 1111',
    );
    const wrapped = JSON.stringify({ owner: ['alice'], email: 'someone@example.org' });
    expect(classifiedValues(wrapped, { ownerField: 'owner' }, 'alice').own).toEqual([]);
  });

  it('treats text that is not JSON as one value, and skips values too short to matter', () => {
    expect(classifiedValues('secret plan', { result: 'x' }, 'a').values).toEqual([
      { value: 'secret plan', label: 'x' },
    ]);
    expect(
      classifiedValues(JSON.stringify({ a: 'no', b: 7 }), { result: 'x' }, 'a').values,
    ).toEqual([]);
  });

  it('says when a result holds more values than are tracked one by one', () => {
    const huge = JSON.stringify(
      Array.from({ length: MAX_TRACKED_VALUES + 1 }, (_, index) => `value-${index}`),
    );
    const found = classifiedValues(huge, { result: 'bulk' }, 'a');
    expect(found.overflow).toBe(true);
    expect(found.values).toHaveLength(MAX_TRACKED_VALUES);
  });
});

describe('withholdClasses', () => {
  it('replaces the values of hidden classes, field by field, and keeps the rest', () => {
    const rows = JSON.stringify({
      rows: [
        { id: 1, note: 'n1' },
        { id: 2, note: { text: 'n2' } },
      ],
      total: 2,
    });
    const shown = withholdClasses(
      rows,
      { fields: { 'rows.note': 'internal' } },
      (label) => label === 'internal',
    );
    expect(JSON.parse(shown)).toEqual({
      rows: [
        { id: 1, note: '[REDACTED:internal]' },
        { id: 2, note: { text: '[REDACTED:internal]' } },
      ],
      total: 2,
    });
  });

  it('replaces the whole result of a hidden class, and leaves a visible class alone', () => {
    expect(withholdClasses('plain text', { result: 'hr' }, () => true)).toBe('[REDACTED:hr]');
    expect(withholdClasses('{"a":"b"}', { result: 'hr' }, () => false)).toBe('{"a":"b"}');
  });
});

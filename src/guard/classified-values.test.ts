import { describe, expect, it } from 'vitest';
import { classifiedValues, resultValues } from './classified-values.js';

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
    const found = classifiedValues(profile, {
      fields: { email: 'contact', 'orders.card': 'payment', note: 'internal' },
    });
    expect(found.values).toEqual([
      { value: 'alice@example.com', label: 'contact' },
      { value: '4111 1111 1111 1111', label: 'payment' },
      { value: '5500 0000 0000 0004', label: 'payment' },
      { value: 'VIP customer since 2019', label: 'internal' },
    ]);
    expect(found.owner).toBeUndefined();
  });

  it('marks every string and number of the result with a whole-result class', () => {
    const found = classifiedValues(JSON.stringify({ salary: 123456, name: 'Dana' }), {
      result: 'hr',
    });
    expect(found.values).toEqual([
      { value: '123456', label: 'hr' },
      { value: 'Dana', label: 'hr' },
    ]);
  });

  it('reads the owner of the result, and ignores an ambiguous one', () => {
    expect(classifiedValues(profile, { ownerField: 'owner' }).owner).toBe('alice');
    const many = JSON.stringify([{ owner: 'a' }, { owner: 'b' }]);
    expect(classifiedValues(many, { ownerField: 'owner' }).owner).toBeUndefined();
  });

  it('treats text that is not JSON as one value, and skips values too short to matter', () => {
    expect(classifiedValues('secret plan', { result: 'x' }).values).toEqual([
      { value: 'secret plan', label: 'x' },
    ]);
    expect(classifiedValues(JSON.stringify({ a: 'no', b: 7 }), { result: 'x' }).values).toEqual([]);
  });

  it('bounds the values taken from a huge result', () => {
    const huge = JSON.stringify(Array.from({ length: 50_000 }, (_, index) => `value-${index}`));
    expect(classifiedValues(huge, { result: 'bulk' }).values).toHaveLength(1_000);
  });
});

describe('resultValues', () => {
  it('lists every string and number of a result worth matching', () => {
    expect(resultValues(profile)).toEqual([
      'alice',
      'alice@example.com',
      '4111 1111 1111 1111',
      '5500 0000 0000 0004',
      'VIP customer since 2019',
    ]);
  });
});

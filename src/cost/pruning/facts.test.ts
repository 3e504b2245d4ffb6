import { describe, expect, it } from 'vitest';
import { addFacts, extractFacts, factsOfTexts, keepFacts, renderFacts } from './facts.js';

const values = (text: string, kind: string) =>
  extractFacts(text)
    .filter((fact) => fact.kind === kind)
    .map((fact) => fact.value);

describe('extractFacts', () => {
  it('finds names, including accented and multi-word ones, but not sentence openers', () => {
    const text = 'Hey Mel! My name is Zoë Castellanos. Thanks, I met O’Neil and Rajesh Kumar.';
    expect(values(text, 'name')).toEqual(['Mel', 'Zoë Castellanos', 'O’Neil', 'Rajesh Kumar']);
  });

  it('finds dates and times in the usual English and ISO shapes', () => {
    const text =
      'On 12 March 2021, then 2024-02-29, at 1:56 pm on 8 May, 2023, by May 5th, 3/4/2022, June 2019.';
    expect(values(text, 'date')).toEqual([
      '12 March 2021',
      '2024-02-29',
      '1:56 pm',
      '8 May, 2023',
      'May 5th',
      '3/4/2022',
      'June 2019',
    ]);
  });

  it('finds numbers with their currency, percent sign and unit, and not inside dates', () => {
    const text = 'I paid $1,250 for 3 bikes on 2024-02-29; it was 42% cheaper, €3.50 each and 7.';
    expect(values(text, 'number')).toEqual(['$1,250', '3 bikes', '42%', '€3.50', '7']);
  });

  it('keeps signs, magnitudes and units that change what a number means', () => {
    const text =
      'Revenue fell to -$2.3 million, at -40°C, for $1.5 million and 2k users; INV-2024.';
    expect(values(text, 'number')).toEqual([
      '-$2.3 million',
      '-40°C',
      '$1.5 million',
      '2k users',
      '2024',
    ]);
    expect(values('We meet at 3pm or 10 am.', 'date')).toEqual(['3pm', '10 am']);
  });

  it('keeps non-Latin text whole and never splits a character', () => {
    const text = 'Åsa Ørsted visited 東京 with 2 friends 🎉 on 1 Jan 2020';
    expect(values(text, 'name')).toEqual(['Åsa Ørsted']);
    expect(values(text, 'number')).toEqual(['2 friends']);
    expect(values(text, 'date')).toEqual(['1 Jan 2020']);
  });
});

describe('factsOfTexts', () => {
  const names = (texts: string[], known: string[] = []) =>
    factsOfTexts(texts, new Set(known)).map((facts) =>
      facts.filter((fact) => fact.kind === 'name').map((fact) => fact.value),
    );

  it('drops sentence openers shaped like ordinary words unless seen inside a sentence', () => {
    expect(names(['Hopefully Rajesh comes. Starting now. They’ve left. Emily called.'])).toEqual([
      ['Rajesh', 'Emily'],
    ]);
    expect(names(['Sterling said hi.', 'I met Sterling today.'])).toEqual([
      ['Sterling'],
      ['Sterling'],
    ]);
    expect(names(['Sterling said hi.'], ['Sterling'])).toEqual([['Sterling']]);
    expect(names(['Sterling said hi.'])).toEqual([[]]);
  });
});

describe('keeping facts', () => {
  it('counts repeats and keeps the most mentioned first when not all fit', () => {
    const user = (text: string) => ({
      role: 'user' as const,
      content: [{ type: 'text' as const, text }],
    });
    const facts = addFacts(
      [],
      [user('Ada met Bob.'), user('Ada again, and Cleo.'), user('Ada')],
      10,
    );
    expect(facts.map((fact) => [fact.value, fact.count, fact.last])).toEqual([
      ['Ada', 3, 12],
      ['Bob', 1, 10],
      ['Cleo', 1, 11],
    ]);
    const kept = keepFacts(facts, (chosen) => chosen.length <= 2);
    expect(kept.map((fact) => fact.value)).toEqual(['Ada', 'Cleo']);
    expect(renderFacts(kept)).toBe('Names: Ada; Cleo');
  });
});

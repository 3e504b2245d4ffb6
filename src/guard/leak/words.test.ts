import { describe, expect, it } from 'vitest';
import { foldWord, stem } from './words.js';

describe('foldWord', () => {
  it('drops function words that change with person and tense', () => {
    for (const word of ['you', 'are', 'i', 'am', 'was', 'told', 'the', 'your', 'my']) {
      expect(foldWord(word)).toBeUndefined();
    }
  });

  it('gives inflections and listed synonyms one form', () => {
    expect(foldWord('responding')).toBe(foldWord('answer'));
    expect(foldWord('replies')).toBe(foldWord('answered'));
    expect(foldWord('policies')).toBe(foldWord('rules'));
    expect(foldWord('customers')).toBe(foldWord('user'));
  });

  it('keeps negation as one token', () => {
    expect(foldWord('never')).toBe('not');
    expect(foldWord('dont')).toBe('not');
  });

  it('maps small number words to digits', () => {
    expect(foldWord('three')).toBe('3');
  });
});

describe('stem', () => {
  it('leaves short words alone and strips common suffixes', () => {
    expect(stem('use')).toBe('use');
    expect(stem('uses')).toBe('use');
    for (const form of ['responds', 'responded', 'responding']) expect(stem(form)).toBe('respond');
    for (const form of ['needs', 'needed']) expect(stem(form)).toBe('need');
    expect(stem('stopped')).toBe('stop');
    expect(stem('quickly')).toBe('quick');
    expect(stem('policies')).toBe('policy');
  });
});

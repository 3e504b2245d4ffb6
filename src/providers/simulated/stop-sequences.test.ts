import { describe, expect, it } from 'vitest';
import { applyStopSequences } from './stop-sequences.js';

const call = { id: 'call_1', name: 'lookup', arguments: '{}' };
const content = { textTokens: ['The ', 'harbour ', 'opens ', 'at ', 'dawn.'], toolCalls: [call] };

describe('applyStopSequences', () => {
  it('ends the text before the first sequence it holds, inside a token too, with no tool calls', () => {
    expect(applyStopSequences(content, ['opens'])).toEqual({
      content: { textTokens: ['The ', 'harbour '], toolCalls: [] },
      stopSequence: 'opens',
    });
    expect(applyStopSequences(content, ['bour o'])).toEqual({
      content: { textTokens: ['The ', 'har'], toolCalls: [] },
      stopSequence: 'bour o',
    });
  });

  it('takes the sequence complete first, and of two complete at once the longer', () => {
    expect(applyStopSequences(content, ['dawn', 'harbour']).stopSequence).toBe('harbour');
    expect(applyStopSequences(content, ['harbour', 'har']).stopSequence).toBe('har');
    expect(applyStopSequences(content, ['harbour opens', 'bour']).content.textTokens).toEqual([
      'The ',
      'har',
    ]);
    expect(applyStopSequences(content, ['bour', 'harbour']).stopSequence).toBe('harbour');
    expect(applyStopSequences(content, ['The']).content.textTokens).toEqual([]);
  });

  it('leaves the turn whole when no sequence matches, or none is given', () => {
    for (const stop of [undefined, [], [''], ['dusk']]) {
      expect(applyStopSequences(content, stop)).toEqual({ content, stopSequence: undefined });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { ContinuationTrimmer, continuationRequest } from './continuation.js';

function continueWith(sent: string, ...deltas: string[]): string {
  const trimmer = new ContinuationTrimmer(sent);
  return deltas.map((delta) => trimmer.push(delta)).join('') + trimmer.flush();
}

describe('continuation', () => {
  it('prefills the text sent, without its trailing whitespace', () => {
    const request = continuationRequest({ model: 'm', messages: [] }, 'Partial answer \n');
    expect(request.messages).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'Partial answer' }], toolCalls: [] },
    ]);
  });

  it('leaves the continuation only the token budget the sent text did not use', () => {
    const sent = 'x'.repeat(40);
    expect(continuationRequest({ model: 'm', messages: [], maxTokens: 25 }, sent).maxTokens).toBe(
      15,
    );
    expect(continuationRequest({ model: 'm', messages: [], maxTokens: 5 }, sent).maxTokens).toBe(1);
    expect(continuationRequest({ model: 'm', messages: [] }, sent)).not.toHaveProperty('maxTokens');
  });

  it('sends the whitespace after a long restart once', () => {
    const sent = `${'Lorem ipsum dolor sit amet. '.repeat(12)}\n\n`;
    const restart = sent.trimEnd();
    expect(continueWith(sent, restart, '\n\nSecond paragraph.')).toBe('Second paragraph.');
    expect(continueWith(`${restart} `, restart, ' and more.')).toBe('and more.');
  });

  it('passes a clean continuation through unchanged', () => {
    expect(continueWith('The answer is', ' forty', ' two.')).toBe(' forty two.');
  });

  it('drops a restart from the beginning, however it is split', () => {
    const sent = 'A fairly long opening sentence that was already streamed';
    expect(
      continueWith(
        sent,
        'A fairly long ',
        'opening sentence that',
        ' was already streamed',
        ', and more.',
      ),
    ).toBe(', and more.');
  });

  it('drops a repeat of the last words, but keeps a short accidental overlap', () => {
    expect(continueWith('we went to the harbour at dawn', 'the harbour at dawn and stayed.')).toBe(
      ' and stayed.',
    );
    expect(continueWith('I like tea', ' tea too.')).toBe(' tea too.');
  });

  it('keeps a paragraph break that follows a line break already sent', () => {
    expect(continueWith('First paragraph.\n', '\n\nSecond paragraph.')).toBe('\nSecond paragraph.');
    expect(continueWith('First paragraph.\n', '\nSecond.')).toBe('Second.');
    expect(continueWith('Words ', ' more words')).toBe('more words');
  });

  it('releases a short continuation when it ends before the look-ahead fills', () => {
    expect(continueWith('A'.repeat(500), ' end.')).toBe(' end.');
  });
});

import { describe, expect, it } from 'vitest';
import type { Message } from '../../core/conversation.js';
import { estimateComplexity } from './complexity.js';
import { wordProblemPoints } from './complexity-word-problem.js';

function reasonOf(text: string) {
  const messages: Message[] = [{ role: 'user', content: [{ type: 'text', text }] }];
  return estimateComplexity({ messages, toolsOffered: 0 }).reasons.find(
    (reason) => reason.feature === 'word-problem',
  );
}

describe('word problems', () => {
  it.each([
    'Tom is three times as old as his son. In 12 years he will be twice as old as him. How old is Tom now?',
    'Two trains leave at the same time, one at 60 km/h and one at 80 km/h. How far apart are they after 3 hours?',
    'I roll two dice. What is the probability that the sum is at least 10?',
    'Anna is twice as old as Ben was when Anna was as old as Ben is now. If Ben is 24, how old is Anna?',
  ])('gives a full word problem two points: %s', (text) => {
    expect(wordProblemPoints(text).points).toBe(2);
    expect(reasonOf(text)).toMatchObject({ feature: 'word-problem', points: 2 });
  });

  it.each([
    'How many ounces are in a pound?',
    'What time is it in Tokyo if it is 9am in London?',
    'I have 3 apples and eat 1. How many are left?',
    "What's 15% of 80?",
    'How many people live in Paris?',
    'My meeting is at 3pm and lasts 2 hours.',
    'If I buy 3 shirts at $15 each, how much do I spend?',
    'How many hours do I work per week if I work 8 hours each day for 5 days?',
    'If I save 50 dollars every month, how much will I have after 12 months?',
    'How many calories do I burn if I run for 30 minutes at 10 calories per minute?',
  ])('leaves a one-step question or a statement below two points: %s', (text) => {
    expect(wordProblemPoints(text).points).toBeLessThan(2);
  });

  it('names counts, never the text', () => {
    const text = 'If 3 cats catch 3 mice in 3 minutes, how many cats catch 100 mice twice as fast?';
    expect(reasonOf(text)).toEqual({
      feature: 'word-problem',
      detail: '5 quantities, 1 comparisons, 1 conditions',
      points: 2,
    });
  });

  it('gives conditions and rates without a comparison one point at most', () => {
    expect(wordProblemPoints('If each box holds 12 eggs, how many boxes for 60 eggs?')).toEqual({
      points: 1,
      detail: '2 quantities, 0 comparisons, 2 conditions',
    });
  });

  it('reads no word problem into a mechanical task on pasted figures', () => {
    // The recipe holds quantities, relations and "how many"; the ask is only to double it.
    const recipe =
      'Banana bread for 4 people: 3 ripe bananas, 250 g flour, 2 eggs, 120 g butter and 150 g ' +
      'sugar. Mash the bananas, then mix in the butter, sugar and eggs. If the batter is dry, ' +
      'add 60 ml milk. Bake 60 minutes at 175 C. How many slices? About 10 if each is 2 cm thick.';
    const messages: Message[] = [
      { role: 'user', content: [{ type: 'text', text: `double this recipe\n${recipe}` }] },
    ];
    const features = estimateComplexity({ messages, toolsOffered: 0 }).reasons.map(
      (reason) => reason.feature,
    );
    expect(features).toContain('transform');
    expect(features).not.toContain('word-problem');
    // Asked as a question of its own, the same text is read for one.
    expect(wordProblemPoints(recipe).points).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from 'vitest';
import {
  MAX_KEPT_RATINGS,
  newDownRatings,
  readFeedback,
  readRoutingState,
  withRating,
} from './routing-state.js';

const at = '2026-01-01T00:00:00.000Z';

describe('routing state', () => {
  it('keeps the latest rating of a message and numbers every rating', () => {
    let feedback = readFeedback(undefined);
    feedback = withRating(feedback, { index: 1, rating: 'down', at });
    feedback = withRating(feedback, { index: 1, rating: 'up', at });
    feedback = withRating(feedback, { index: 3, rating: 'down', at });
    expect(feedback.ratings.map((rating) => [rating.index, rating.rating])).toEqual([
      [1, 'up'],
      [3, 'down'],
    ]);
    expect(feedback.ratings.map((rating) => rating.seq)).toEqual([2, 3]);
    expect(feedback.seq).toBe(3);
    expect(newDownRatings(feedback, 0)).toBe(1);
    expect(newDownRatings(feedback, 3)).toBe(0);
  });

  it('keeps at most the last ratings', () => {
    let feedback = readFeedback({});
    for (let index = 0; index < MAX_KEPT_RATINGS + 5; index++) {
      feedback = withRating(feedback, { index, rating: 'down', at });
    }
    expect(feedback.ratings).toHaveLength(MAX_KEPT_RATINGS);
    expect(feedback.ratings[0]?.index).toBe(5);
    expect(feedback.seq).toBe(MAX_KEPT_RATINGS + 5);
  });

  it('reads stored entries of the wrong shape as nothing', () => {
    expect(readFeedback({ feedback: { ratings: [{ index: 'x' }, 7], seq: 'many' } })).toEqual({
      ratings: [],
      seq: 0,
    });
    // Ratings stored before they were numbered read as seen long ago.
    const old = { index: 1, rating: 'down', at, seq: 'x' };
    expect(readFeedback({ feedback: { ratings: [old], downs: 1 } })).toEqual({
      ratings: [{ ...old, seq: 0 }],
      seq: 0,
    });
    expect(readRoutingState({ routing: { route: 'auto' } })).toBeUndefined();
    expect(readRoutingState({ routing: { route: 'auto', tier: 'large', turnsLeft: -2 } })).toEqual({
      route: 'auto',
      tier: 'large',
      turnsLeft: 0,
      ratingsSeen: 0,
    });
  });
});

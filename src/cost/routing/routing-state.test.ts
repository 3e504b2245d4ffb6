import { describe, expect, it } from 'vitest';
import {
  latestRating,
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

  it('knows where every rated message stands after its rating has left the kept ones', () => {
    let feedback = readFeedback({});
    feedback = withRating(feedback, { index: 0, rating: 'up', at });
    for (let index = 1; index <= MAX_KEPT_RATINGS + 5; index++) {
      feedback = withRating(feedback, { index, rating: 'down', at });
    }
    expect(feedback.ratings.some((rating) => rating.index === 0)).toBe(false);
    // Through storage, as the route reads it: JSON and back.
    const stored = readFeedback(
      JSON.parse(JSON.stringify({ feedback })) as Record<string, unknown>,
    );
    expect(latestRating(stored, 0)).toBe('up');
    expect(latestRating(stored, 1)).toBe('down');
    expect(latestRating(stored, MAX_KEPT_RATINGS + 6)).toBeUndefined();
    expect(Object.keys(stored.standing)).toHaveLength(MAX_KEPT_RATINGS + 6);
  });

  it('takes the rating a message already stands at, sent again, as no new rating', () => {
    let feedback = readFeedback({});
    feedback = withRating(feedback, { index: 1, rating: 'down', at });
    feedback = withRating(feedback, { index: 3, rating: 'up', at });
    const later = '2026-01-02T00:00:00.000Z';
    const again = withRating(feedback, {
      index: 1,
      rating: 'down',
      comment: 'still wrong',
      at: later,
    });
    expect(again.seq).toBe(2);
    expect(again.ratings.map((rating) => [rating.index, rating.seq])).toEqual([
      [1, 1],
      [3, 2],
    ]);
    expect(again.ratings[0]).toMatchObject({ comment: 'still wrong', at: later });
    // The router saw the down-rating at seq 1 or 2: the resend is nothing new to it.
    expect(newDownRatings(again, 2)).toBe(0);
    // Sent again after it left the kept ones, it pushes none of them out.
    let full = withRating(readFeedback({}), { index: 0, rating: 'down', at });
    for (let index = 1; index <= MAX_KEPT_RATINGS; index++) {
      full = withRating(full, { index, rating: 'up', at });
    }
    expect(withRating(full, { index: 0, rating: 'down', at })).toEqual(full);
  });

  it('reads only well-formed standings, and lets a kept rating stand over an older one', () => {
    const standing = {
      '3': 'up',
      '4': 'down',
      '-1': 'up',
      '07': 'up',
      x: 'down',
      '5': 'sideways',
      '99999999999999999999': 'up',
    };
    const hostile = JSON.parse('{"__proto__": "up", "constructor": "down"}') as object;
    const kept = { index: 4, rating: 'up', at, seq: 9 };
    // A kept rating of an index no message has does not stand either.
    const odd = [1.5, -1, 1e21].map((index) => ({ index, rating: 'down', at, seq: 1 }));
    const feedback = readFeedback({
      feedback: { ratings: [kept, ...odd], seq: 9, standing: { ...standing, ...hostile } },
    });
    expect(feedback.standing).toEqual({ '3': 'up', '4': 'up' });
    expect(latestRating(feedback, 4)).toBe('up');
    // An array or a string is no table of standings.
    expect(latestRating(readFeedback({ feedback: { standing: [] } }), 0)).toBeUndefined();
    expect(readFeedback({ feedback: { standing: 'up' } }).standing).toEqual({});
  });

  it('reads stored entries of the wrong shape as nothing', () => {
    expect(readFeedback({ feedback: { ratings: [{ index: 'x' }, 7], seq: 'many' } })).toEqual({
      ratings: [],
      seq: 0,
      standing: {},
    });
    // Ratings stored before they were numbered read as seen long ago.
    const old = { index: 1, rating: 'down', at, seq: 'x' };
    expect(readFeedback({ feedback: { ratings: [old], downs: 1 } })).toEqual({
      ratings: [{ ...old, seq: 0 }],
      seq: 0,
      standing: { '1': 'down' },
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

import { z } from 'zod';

/** Node runs a timer longer than this after 1 ms, so no duration (or count) may exceed it. */
const MAX_TIMER_MS = 2_147_483_647;

export const positiveInt = z.number().int().positive().max(MAX_TIMER_MS);
export const nonNegativeInt = z.number().int().nonnegative().max(MAX_TIMER_MS);

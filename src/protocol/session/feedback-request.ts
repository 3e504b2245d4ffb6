import { z } from 'zod';
import { invalidRequestFromIssues } from '../../core/invalid-request.js';

/** Longest feedback comment kept: a sentence or two, not a document. */
export const MAX_FEEDBACK_COMMENT_CHARS = 2_000;

const feedbackSchema = z.strictObject({
  /** Index of the rated assistant message in the session's `messages`. */
  message_index: z.number().int().min(0).max(1_000_000),
  rating: z.enum(['up', 'down']),
  comment: z.string().max(MAX_FEEDBACK_COMMENT_CHARS).optional(),
});

export type FeedbackRequest = z.output<typeof feedbackSchema>;

/** Validates the body of `POST /v1/sessions/{id}/feedback`; errors name the bad field. */
export function parseFeedback(body: unknown): FeedbackRequest {
  const result = feedbackSchema.safeParse(body);
  if (!result.success) throw invalidRequestFromIssues(result.error.issues);
  return result.data;
}

import { z } from 'zod';
import type { ContentPart } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import { invalidRequestFromIssues } from '../../core/invalid-request.js';

const createSessionSchema = z
  .object({
    /** Name of a configured assistant. Default: `default`, or the only one configured. */
    assistant: z.string().min(1).max(64).optional(),
    /** Free-form labels kept with the session. */
    metadata: z.record(z.string().max(64), z.string().max(512)).optional(),
  })
  .refine((value) => Object.keys(value.metadata ?? {}).length <= 16, {
    message: 'at most 16 metadata entries',
    path: ['metadata'],
  });

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    url: z.string().min(1),
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});

const sendMessageSchema = z.object({
  /** The user's message: text, or OpenAI-style content parts. */
  content: z.union([z.string().min(1), z.array(z.union([textPart, imagePart])).min(1)]),
  stream: z.boolean().default(false),
});

const toolDecisionsSchema = z.object({
  /** One decision per call the turn paused on. */
  decisions: z
    .array(
      z.object({
        tool_call_id: z.string().min(1).max(128),
        approve: z.boolean(),
      }),
    )
    .min(1)
    .max(64),
  stream: z.boolean().default(false),
});

export interface ToolDecisionsRequest {
  /** Approved (true) or declined (false), by tool call id. */
  decisions: ReadonlyMap<string, boolean>;
  stream: boolean;
}

/** Validates the body of `POST /v1/sessions/{id}/tool-decisions`. */
export function parseToolDecisions(body: unknown): ToolDecisionsRequest {
  const result = toolDecisionsSchema.safeParse(body);
  if (!result.success) throw invalidRequestFromIssues(result.error.issues);
  const decisions = new Map<string, boolean>();
  for (const decision of result.data.decisions) {
    if (decisions.has(decision.tool_call_id)) {
      throw new RampartError(
        'RAMPART_INVALID_REQUEST',
        `Invalid 'decisions': the call '${decision.tool_call_id}' is decided twice`,
        { param: 'decisions' },
      );
    }
    decisions.set(decision.tool_call_id, decision.approve);
  }
  return { decisions, stream: result.data.stream };
}

export type CreateSessionRequest = z.output<typeof createSessionSchema>;

export interface SendMessageRequest {
  content: ContentPart[];
  stream: boolean;
}

/** Validates the body of `POST /v1/sessions` (an absent body means all defaults). */
export function parseCreateSession(body: unknown): CreateSessionRequest {
  const result = createSessionSchema.safeParse(body ?? {});
  if (!result.success) throw invalidRequestFromIssues(result.error.issues);
  return result.data;
}

/** Validates the body of `POST /v1/sessions/{id}/messages`. */
export function parseSendMessage(body: unknown): SendMessageRequest {
  const result = sendMessageSchema.safeParse(body);
  if (!result.success) throw invalidRequestFromIssues(result.error.issues);
  const { content, stream } = result.data;
  if (typeof content === 'string') return { content: [{ type: 'text', text: content }], stream };
  // Empty text parts say nothing and strict providers refuse them: drop them here.
  const meaningful = content.filter((part) => part.type !== 'text' || part.text !== '');
  if (meaningful.length === 0) {
    throw new RampartError('RAMPART_INVALID_REQUEST', "Invalid 'content': every part is empty", {
      param: 'content',
    });
  }
  const parts = meaningful.map((part): ContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const image: ContentPart = { type: 'image', url: part.image_url.url };
    if (part.image_url.detail) image.detail = part.image_url.detail;
    return image;
  });
  return { content: parts, stream };
}

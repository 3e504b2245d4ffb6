import { z } from 'zod';
import { MAX_END_USER } from '../../core/conversation.js';

/*
 * The client request to `/v1/messages`, as zod schemas. Objects strip unknown keys (such as
 * `cache_control` or `citations`), so newer client fields are ignored rather than refused.
 * Reference: https://docs.anthropic.com/en/api/messages
 */

const textBlock = z.object({ type: z.literal('text'), text: z.string() });

/**
 * The image types Anthropic accepts, and base64 text: checked here so a bad one is refused by
 * its own field, instead of failing later as a malformed data URL (or not at all, on an upstream
 * that would take it). https://docs.anthropic.com/en/docs/build-with-claude/vision
 */
const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const imageSource = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('base64'),
    media_type: z.enum(IMAGE_MEDIA_TYPES),
    data: z.string().min(1).regex(BASE64, 'must be base64'),
  }),
  z.object({ type: z.literal('url'), url: z.string().min(1) }),
]);

const imageBlock = z.object({ type: z.literal('image'), source: imageSource });

const toolUseBlock = z.object({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

const toolResultBlock = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(textBlock)]).optional(),
  is_error: z.boolean().optional(),
});

/*
 * Thinking blocks from earlier turns are accepted and dropped: the neutral conversation has no
 * place for them, and Anthropic documents that the model ignores previous turns' thinking anyway
 * (https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking).
 */
const thinkingBlock = z.object({ type: z.enum(['thinking', 'redacted_thinking']) });

const contentBlock = z.discriminatedUnion(
  'type',
  [textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock],
  // Said plainly: `document`, `search_result` and newer block types are not read here.
  { error: 'must be a text, image, tool_use, tool_result or thinking block' },
);

export type ParsedContentBlock = z.infer<typeof contentBlock>;

const message = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(contentBlock)]),
});

const tool = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
});

const toolChoice = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.object({ type: z.literal('none') }),
]);

export type ParsedToolChoice = z.infer<typeof toolChoice>;

/** A `/v1/messages` request body; ranges are Anthropic's documented ones. */
export const messagesRequestSchema = z.object({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  messages: z.array(message).min(1),
  tools: z.array(tool).optional(),
  tool_choice: toolChoice.optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  metadata: z.object({ user_id: z.string().max(MAX_END_USER).nullish() }).nullish(),
});

export type ParsedMessagesBody = z.infer<typeof messagesRequestSchema>;

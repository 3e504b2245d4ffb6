import { createHash } from 'node:crypto';
import type { ModelRequest } from '../../core/index.js';

/**
 * The key of a stored answer: a digest of everything that shapes the answer (the route, the
 * whole conversation, tools and sampling options), and of the user when answers are kept per
 * user. Nothing else about the user or the request goes into it.
 */
export function answerKey(
  routeName: string,
  request: Omit<ModelRequest, 'model'>,
  user: string | undefined,
): string {
  const shape = [
    user ?? null,
    routeName,
    request.messages,
    request.tools ?? null,
    request.toolChoice ?? null,
    request.parallelToolCalls ?? null,
    request.maxTokens ?? null,
    request.temperature ?? null,
    request.topP ?? null,
    request.stop ?? null,
    request.seed ?? null,
    request.responseFormat ?? null,
    request.presencePenalty ?? null,
    request.frequencyPenalty ?? null,
    request.logitBias ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(shape)).digest('base64url');
}

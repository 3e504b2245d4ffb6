import type { TurnStage } from './stage.js';

/**
 * Writes the one completion line per turn: who, which model, tokens, latency and how it ended.
 * Prompts and completions are not part of it; hot-path detail belongs to metrics.
 */
export function completionLogStage(): TurnStage {
  return {
    name: 'completion-log',
    settle(turn) {
      const fields = {
        userId: turn.input.principal.userId,
        sessionId: turn.input.sessionId,
        model: turn.route?.name,
        provider: turn.route?.provider.name,
        modelCalls: turn.modelCalls.length,
        toolCalls: turn.toolCalls.length,
        toolErrors: turn.toolCalls.filter((call) => !call.ok).length,
        inputTokens: turn.usage.inputTokens,
        outputTokens: turn.usage.outputTokens,
        durationMs: Math.round(performance.now() - turn.startedAt),
        finishReason: turn.finishReason ?? 'error',
        errorCode: turn.errorCode,
      };
      const clientGone = turn.errorCode === 'RAMPART_CLIENT_CLOSED';
      if (turn.errorCode && !clientGone) turn.logger.warn(fields, 'turn failed');
      else turn.logger.info(fields, 'turn completed');
    },
  };
}

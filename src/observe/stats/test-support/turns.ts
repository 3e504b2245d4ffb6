import type { ErrorCode } from '../../../core/errors.js';
import { createSilentLogger } from '../../../core/logger.js';
import { createTurn, type Turn } from '../../../runtime/turn.js';
import type { TurnSettled } from '../../telemetry.js';

/** One model attempt as a test describes it. */
export interface CallSpec {
  target: string;
  durationMs: number;
  ttftMs?: number;
  outcome?: 'ok' | 'failed' | 'skipped';
  cachedInputTokens?: number;
}

/** One tool call as a test describes it. */
export interface ToolSpec {
  name: string;
  durationMs: number;
  errorCode?: ErrorCode;
}

export interface TurnSpec {
  at: number;
  calls?: CallSpec[];
  tools?: ToolSpec[];
  inputTokens?: number;
  outputTokens?: number;
  costNanos?: number;
  errorCode?: ErrorCode;
  degraded?: boolean;
  flagged?: number;
  redactions?: Record<string, number>;
  streamed?: boolean;
  retry?: boolean;
}

function attemptsOf(calls: readonly CallSpec[]): Turn['modelCalls'] {
  return calls.map((call, index) => {
    const [provider = '', model = ''] = call.target.split('/');
    const outcome = call.outcome ?? 'ok';
    return {
      provider,
      model,
      attempt: index + 1,
      outcome,
      continuation: false,
      durationMs: call.durationMs,
      timeToFirstEventMs: call.ttftMs,
      usage:
        call.cachedInputTokens === undefined
          ? { inputTokens: 10, outputTokens: 5 }
          : { inputTokens: 10, outputTokens: 5, cachedInputTokens: call.cachedInputTokens },
      errorCode: outcome === 'failed' ? 'RAMPART_UPSTREAM_ERROR' : undefined,
    };
  });
}

/** A settled turn built by hand, as the settle stage would report it. */
export function settledTurn(spec: TurnSpec): TurnSettled {
  const turn = createTurn(
    {
      requestId: 'req_test',
      principal: { userId: 'u', role: 'user', tier: 'standard', permissions: [], keyId: 'k' },
      modelName: 'default',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      options: {},
      signal: new AbortController().signal,
    },
    createSilentLogger(),
  );
  turn.modelCalls.push(...attemptsOf(spec.calls ?? []));
  turn.toolCalls.push(
    ...(spec.tools ?? []).map((tool, index) => ({
      callId: `call_${index}`,
      name: tool.name,
      // A name the model made up is the one kind the registry does not know.
      known: tool.errorCode !== 'RAMPART_TOOL_NOT_FOUND',
      ok: tool.errorCode === undefined,
      durationMs: tool.durationMs,
      errorCode: tool.errorCode,
    })),
  );
  turn.usage = { inputTokens: spec.inputTokens ?? 0, outputTokens: spec.outputTokens ?? 0 };
  const total = spec.costNanos ?? 0;
  turn.cost = { model: total, tools: 0, memory: 0, total, byTarget: {}, unpriced: [] };
  turn.errorCode = spec.errorCode;
  if (spec.degraded) turn.degraded = { source: 'cache', storedAt: new Date(0).toISOString() };
  for (let index = 0; index < (spec.flagged ?? 0); index += 1) {
    turn.guard.flagged.push({ source: 'user', action: 'block', score: 1, rules: ['r'] });
  }
  Object.assign(turn.guard.redactions, spec.redactions ?? {});
  return {
    type: 'turn',
    at: spec.at,
    durationMs: 0,
    turn,
    streamed: spec.streamed ?? false,
    retry: spec.retry ?? false,
  };
}

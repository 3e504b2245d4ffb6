import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pricingSchema } from '../config/pricing-schema.js';
import { createLogger, RampartError, type Usage } from '../core/index.js';
import { completionLogStage } from '../runtime/completion-log-stage.js';
import { createTurn } from '../runtime/turn.js';
import type { UsageLedger, UsageRecordInput, UsageSummary } from '../store/index.js';
import { accountingStage } from './accounting-stage.js';
import { PriceBook } from './price-book.js';

const prices = new PriceBook(
  pricingSchema.parse({ models: { 'sim/big': { input: 10, output: 30 } }, tools: { '*': 0.001 } }),
);

/** A ledger that keeps records in a list, failing the first `failures` writes with `error`. */
function listLedger(failures = 0, error: Error = new Error('down')) {
  const records: UsageRecordInput[] = [];
  let failed = 0;
  const ledger: UsageLedger = {
    record(entry) {
      if (failed < failures) {
        failed += 1;
        return Promise.reject(error);
      }
      if (records.some((record) => record.id === entry.id)) return Promise.resolve(false);
      records.push(entry);
      return Promise.resolve(true);
    },
    summarize: () => Promise.reject<UsageSummary>(new Error('not used')),
  };
  return { ledger, records };
}

function turnWithLog(prompt = 'a secret prompt') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const principal = {
    userId: 'alice',
    role: 'user',
    tier: 'standard',
    permissions: [],
    keyId: 'k1',
    team: 'blue',
  };
  const turn = createTurn(
    {
      requestId: 'req_1',
      principal,
      modelName: 'default',
      messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }],
      options: {},
      sessionId: 'ses_1',
      signal: new AbortController().signal,
    },
    createLogger({ destination }),
  );
  return { turn, lines };
}

function used(turn: ReturnType<typeof turnWithLog>['turn'], target: string, usage: Usage) {
  const [provider = '', model = ''] = target.split('/');
  turn.modelUsage.push({ target, provider, model, usage });
}

describe('accountingStage', () => {
  it('prices the turn, puts the cost on it and writes one record per turn', async () => {
    const { ledger, records } = listLedger();
    const { turn } = turnWithLog();
    used(turn, 'sim/big', { inputTokens: 100, outputTokens: 10 });
    used(turn, 'sim/big', {
      inputTokens: 50,
      outputTokens: 5,
      cachedInputTokens: 20,
      estimated: true,
    });
    used(turn, 'x/unpriced', { inputTokens: 7, outputTokens: 7 });
    turn.toolCalls.push({
      callId: 'c',
      name: 'calc',
      known: true,
      ok: true,
      durationMs: 1,
      errorCode: undefined,
    });
    turn.finishReason = 'stop';

    await accountingStage({ prices, ledger, clock: () => 1_000 }).settle!(turn);

    const model = 150 * 10_000 + 15 * 30_000 + 20 * 10_000;
    expect(turn.cost).toEqual({
      model,
      tools: 1_000_000,
      memory: 0,
      total: model + 1_000_000,
      byTarget: { 'sim/big': model, 'x/unpriced': 0 },
      unpriced: ['x/unpriced'],
    });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      at: 1_000,
      requestId: 'req_1',
      userId: 'alice',
      keyId: 'k1',
      team: 'blue',
      sessionId: 'ses_1',
      route: 'default',
      toolCalls: 1,
      totalCostNanos: model + 1_000_000,
      outcome: 'stop',
      models: [
        {
          target: 'sim/big',
          model: 'big',
          inputTokens: 150,
          outputTokens: 15,
          cachedInputTokens: 20,
          cacheWriteInputTokens: 0,
          estimated: true,
          costNanos: model,
        },
        {
          target: 'x/unpriced',
          model: 'unpriced',
          inputTokens: 7,
          outputTokens: 7,
          cachedInputTokens: 0,
          cacheWriteInputTokens: 0,
          estimated: false,
          costNanos: 0,
        },
      ],
    });
  });

  it('records nothing for a turn that reached no model and ran no tool', async () => {
    const { ledger, records } = listLedger();
    const { turn } = turnWithLog();
    turn.errorCode = 'RAMPART_RATE_LIMITED';
    await accountingStage({ prices, ledger }).settle!(turn);
    expect(records).toEqual([]);
    expect(turn.cost?.total).toBe(0);
  });

  it('retries a write the store calls retryable once, with the same id', async () => {
    const unavailable = new RampartError('RAMPART_STATE_UNAVAILABLE', 'down');
    const { ledger, records } = listLedger(1, unavailable);
    const { turn, lines } = turnWithLog();
    used(turn, 'sim/big', { inputTokens: 1, outputTokens: 1 });
    await accountingStage({ prices, ledger }).settle!(turn);
    expect(records).toHaveLength(1);
    expect(lines.join('')).not.toContain('recording turn usage failed');
  });

  it('logs a failed write with the turn ids, never the prompt, and does not throw', async () => {
    const { ledger, records } = listLedger(5);
    const { turn, lines } = turnWithLog('the user said something private');
    used(turn, 'sim/big', { inputTokens: 1, outputTokens: 1 });
    await expect(accountingStage({ prices, ledger }).settle!(turn)).resolves.toBeUndefined();
    expect(records).toEqual([]);
    const line = JSON.parse(lines.find((text) => text.includes('recording turn usage failed'))!);
    expect(line).toMatchObject({
      level: 50,
      userId: 'alice',
      sessionId: 'ses_1',
    });
    expect(line.turnId).toMatch(/^turn_/);
    expect(lines.join('')).not.toContain('private');
    expect(turn.cost?.total).toBeGreaterThan(0);
  });

  it('settles before the completion log, which then shows the cost in dollars', async () => {
    const { ledger } = listLedger();
    const { turn, lines } = turnWithLog();
    used(turn, 'sim/big', { inputTokens: 1_000, outputTokens: 100 });
    turn.finishReason = 'stop';
    await accountingStage({ prices, ledger }).settle!(turn);
    await completionLogStage({ logContent: false }).settle!(turn);
    const line = JSON.parse(lines.find((text) => text.includes('turn completed'))!);
    expect(line.costUsd).toBe((1_000 * 10_000 + 100 * 30_000) / 1e9);
  });
});

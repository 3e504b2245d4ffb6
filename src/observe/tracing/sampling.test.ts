import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { sampled } from './otel-turn-tracer.js';

const callerContext = (flags: TraceFlags) =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: flags,
    isRemote: true,
  });

const never = () => {
  throw new Error('the ratio is not consulted');
};

describe('turn sampling', () => {
  it("follows the caller's decision whatever the ratio", () => {
    expect(sampled(callerContext(TraceFlags.SAMPLED), 0, never)).toBe(true);
    expect(sampled(callerContext(TraceFlags.NONE), 1, never)).toBe(false);
  });

  it('keeps a new trace at the ratio', () => {
    expect(sampled(ROOT_CONTEXT, 1, never)).toBe(true);
    expect(sampled(ROOT_CONTEXT, 0, () => 0)).toBe(false);
    expect(sampled(ROOT_CONTEXT, 0.25, () => 0.2)).toBe(true);
    expect(sampled(ROOT_CONTEXT, 0.25, () => 0.25)).toBe(false);
  });

  it('keeps about the ratio of new traces', () => {
    let state = 7;
    // A fixed linear congruential sequence, so the share is the same on every run.
    const random = () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
    let kept = 0;
    for (let turn = 0; turn < 10_000; turn++) if (sampled(ROOT_CONTEXT, 0.1, random)) kept += 1;
    expect(kept).toBeGreaterThan(900);
    expect(kept).toBeLessThan(1_100);
  });
});

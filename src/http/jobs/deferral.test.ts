import { describe, expect, it } from 'vitest';
import { deferredTraceContext, storedTraceContext } from './deferral.js';

const TURN = '00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01';
const CLIENT = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01' };

describe('the trace a deferred job carries on', () => {
  it("is the refused turn's own span when it was traced, else the client's", () => {
    expect(deferredTraceContext({ traceparent: TURN }, CLIENT)).toEqual({ traceparent: TURN });
    expect(deferredTraceContext(undefined, CLIENT)).toBe(CLIENT);
    expect(deferredTraceContext(undefined, undefined)).toBeUndefined();
  });

  it('is read back from storage only when it has the right shape', () => {
    expect(storedTraceContext({ traceparent: TURN })).toEqual({ traceparent: TURN });
    expect(storedTraceContext({ traceparent: TURN, tracestate: 'a=1' })).toEqual({
      traceparent: TURN,
      tracestate: 'a=1',
    });
    // A tracestate of another type is left out; the tracer validates the rest as it would a
    // client's header.
    expect(storedTraceContext({ traceparent: TURN, tracestate: 7 })).toEqual({ traceparent: TURN });
    for (const stored of [undefined, null, 'text', 42, {}, { traceparent: 1 }, []]) {
      expect(storedTraceContext(stored)).toBeUndefined();
    }
  });
});

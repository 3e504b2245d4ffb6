import { describe, expect, it } from 'vitest';
import { toToolMessage } from './tool-message.js';

describe('toToolMessage', () => {
  it('carries a successful result as a tool message', () => {
    const result = { callId: 'c1', name: 'calc', ok: true, content: '42', durationMs: 3 };
    expect(toToolMessage(result)).toEqual({ role: 'tool', toolCallId: 'c1', content: '42' });
  });

  it('marks a failed result as an error', () => {
    const content = '{"error":{"code":"RAMPART_TOOL_FAILED","message":"boom"}}';
    const result = {
      callId: 'c2',
      name: 'calc',
      ok: false,
      content,
      errorCode: 'RAMPART_TOOL_FAILED' as const,
      durationMs: 1,
    };
    expect(toToolMessage(result)).toEqual({
      role: 'tool',
      toolCallId: 'c2',
      content,
      isError: true,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { RampartError } from '../../core/index.js';
import { anthropicErrorTypeOf, toAnthropicErrorBody, toAnthropicErrorType } from './error-type.js';

describe('Anthropic error types', () => {
  it('takes a code with a closer match first, then the status', () => {
    expect(toAnthropicErrorType('RAMPART_UNKNOWN_MODEL')).toBe('not_found_error');
    expect(toAnthropicErrorType('RAMPART_UPSTREAM_UNAVAILABLE')).toBe('overloaded_error');
    expect(toAnthropicErrorType('RAMPART_PROVIDERS_UNAVAILABLE')).toBe('overloaded_error');
    // No entry of its own: by status.
    expect(toAnthropicErrorType('RAMPART_RATE_LIMITED')).toBe('rate_limit_error');
    expect(toAnthropicErrorType('RAMPART_BUDGET_EXHAUSTED')).toBe('billing_error');
    expect(toAnthropicErrorType('RAMPART_TOOL_DENIED')).toBe('permission_error');
    expect(toAnthropicErrorType('RAMPART_INTERNAL')).toBe('api_error');
    // An upstream's status passed through decides over the code's own.
    expect(toAnthropicErrorType('RAMPART_UPSTREAM_INVALID_REQUEST', { status: 413 })).toBe(
      'request_too_large',
    );
  });

  it('reads undocumented statuses by their class', () => {
    expect(anthropicErrorTypeOf(409)).toBe('invalid_request_error');
    expect(anthropicErrorTypeOf(503)).toBe('api_error');
    expect(anthropicErrorTypeOf(529)).toBe('overloaded_error');
  });

  it("writes Anthropic's body exactly, or with Rampart's code and param beside", () => {
    const error = new RampartError('RAMPART_INVALID_REQUEST', 'bad max_tokens', {
      param: 'max_tokens',
    });
    expect(toAnthropicErrorBody(error)).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'bad max_tokens' },
    });
    expect(toAnthropicErrorBody(error, { withCode: true })).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'bad max_tokens',
        code: 'RAMPART_INVALID_REQUEST',
        param: 'max_tokens',
      },
    });
  });
});

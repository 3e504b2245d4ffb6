import { describe, expect, it } from 'vitest';
import type { Principal, ToolCall } from '../../core/index.js';
import { runToolCalls } from '../run-tool-calls.js';
import { ToolRegistry } from '../tool-registry.js';
import { builtinTools } from './index.js';

const principal: Principal = {
  userId: 'u',
  role: 'user',
  tier: 'free',
  permissions: [],
  keyId: 'k',
};

function runBuiltins(calls: ToolCall[]) {
  const registry = new ToolRegistry();
  for (const tool of builtinTools({ clock: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) })) {
    registry.register(tool);
  }
  return runToolCalls(calls, { registry, principal, signal: new AbortController().signal });
}

describe('builtinTools', () => {
  it('registers calculator and current_time', () => {
    expect(builtinTools().map((tool) => tool.name)).toEqual(['calculator', 'current_time']);
  });

  it('answers model calls end to end', async () => {
    const results = await runBuiltins([
      { id: 'a', name: 'calculator', arguments: '{"expression":"0.1 + 0.2"}' },
      { id: 'b', name: 'calculator', arguments: '{"expression":"1/0"}' },
      { id: 'c', name: 'calculator', arguments: '' },
      { id: 'd', name: 'current_time', arguments: '' },
      { id: 'e', name: 'current_time', arguments: '{"timezone":"Nowhere/Town"}' },
    ]);

    expect(results.map((result) => [result.ok, result.content])).toEqual([
      [true, '{"expression":"0.1 + 0.2","result":0.3}'],
      [false, '{"error":{"code":"RAMPART_TOOL_INVALID_ARGUMENTS","message":"Division by zero."}}'],
      [
        false,
        '{"error":{"code":"RAMPART_TOOL_INVALID_ARGUMENTS","message":"arguments do not match ' +
          "the schema: (root): missing required property 'expression'\"}}",
      ],
      [
        true,
        '{"timezone":"UTC","iso":"2026-01-02T03:04:05.000+00:00","utc":"2026-01-02T03:04:05.000Z",' +
          '"local":"Friday, January 2, 2026 at 3:04:05 AM UTC"}',
      ],
      [
        false,
        '{"error":{"code":"RAMPART_TOOL_INVALID_ARGUMENTS","message":"Unknown time zone ' +
          "'Nowhere/Town'. Use an IANA name such as 'Europe/Paris' or 'UTC'.\"}}",
      ],
    ]);
  });
});

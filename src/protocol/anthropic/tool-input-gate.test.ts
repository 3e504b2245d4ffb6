import { describe, expect, it } from 'vitest';
import type { ModelEvent } from '../../core/index.js';
import { createMessagesEventEncoder } from './messages-event-encoder.js';
import { ToolInputGate } from './tool-input-gate.js';

const start = (index: number): ModelEvent => ({
  type: 'tool-call-start',
  index,
  id: `toolu_${index}`,
  name: 'lookup',
});
const delta = (index: number, argumentsDelta: string): ModelEvent => ({
  type: 'tool-call-delta',
  index,
  argumentsDelta,
});
const end = (index: number, args: string): ModelEvent => ({
  type: 'tool-call-end',
  index,
  id: `toolu_${index}`,
  name: 'lookup',
  arguments: args,
});

function passAll(events: ModelEvent[]): ModelEvent[][] {
  const gate = new ToolInputGate();
  return events.map((event) => gate.pass(event));
}

describe('ToolInputGate', () => {
  it('holds a call until its first argument character, then lets it and what waited go', () => {
    const text: ModelEvent = { type: 'text-delta', text: 'then' };
    expect(passAll([start(0), delta(0, '  '), text, delta(0, '{"a":'), delta(0, '1}')])).toEqual([
      [],
      [],
      [],
      [start(0), delta(0, '  '), text, delta(0, '{"a":')],
      [delta(0, '1}')],
    ]);
  });

  it('drops a call whose arguments are not an object, and nothing else', () => {
    const finish: ModelEvent = { type: 'finish', reason: 'tool-calls' };
    const gate = new ToolInputGate();
    const events = [start(0), delta(0, '[1,2]'), start(1), delta(1, '{}'), end(0, '[1,2]')];
    const passed = [...events, end(1, '{}'), finish].flatMap((event) => gate.pass(event));
    expect(passed).toEqual([start(1), delta(1, '{}'), end(1, '{}'), finish]);
  });

  it('sends a call with empty arguments, or cut before any, as it is', () => {
    expect(passAll([start(0), end(0, '')]).flat()).toEqual([start(0), end(0, '')]);
    const cut: ModelEvent = { type: 'finish', reason: 'length' };
    expect(passAll([start(0), delta(0, ' '), cut]).flat()).toEqual([start(0), delta(0, ' '), cut]);
  });

  it('gives a stream the same tool calls as the whole answer leaves in', () => {
    const encoder = createMessagesEventEncoder({ id: 'msg_1', model: 'm' });
    const events: ModelEvent[] = [
      start(0),
      delta(0, '[1,2]'),
      end(0, '[1,2]'),
      { type: 'finish', reason: 'tool-calls' },
    ];
    const sent = events.flatMap((event) => encoder.encode(event));
    expect(sent.map((event) => event.event)).toEqual([
      'message_start',
      'message_delta',
      'message_stop',
    ]);
    // No tool_use block went out, so the answer did not stop to use a tool.
    expect(JSON.parse(sent[1]!.data)).toMatchObject({ delta: { stop_reason: 'end_turn' } });
  });
});

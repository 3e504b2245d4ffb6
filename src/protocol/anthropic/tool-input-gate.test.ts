import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
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
const toolsDone: ModelEvent = { type: 'finish', reason: 'tool-calls' };

function passAll(events: ModelEvent[]): ModelEvent[][] {
  const gate = new ToolInputGate();
  return events.map((event) => gate.pass(event));
}

/** What the official SDK assembles from the encoder's stream of `events`. */
async function sdkMessage(events: ModelEvent[]) {
  const encoder = createMessagesEventEncoder({
    id: 'msg_1',
    model: 'm',
    inputTokens: 1,
    checkToolInputs: true,
  });
  const sse = [...events.flatMap((event) => encoder.encode(event)), ...encoder.finish()];
  // The SDK reads a stream it made itself as one JSON event per line.
  const body = new Blob(sse.map((event) => `${event.data}\n`)).stream();
  return MessageStream.fromReadableStream(body).finalMessage();
}

describe('ToolInputGate', () => {
  it('holds a call, and what comes after it, until the call ends as an object', () => {
    const text: ModelEvent = { type: 'text-delta', text: 'then' };
    expect(passAll([start(0), delta(0, '{"a":'), text, delta(0, '1}'), end(0, '{"a":1}')])).toEqual(
      [[], [], [], [], [start(0), delta(0, '{"a":'), text, delta(0, '1}'), end(0, '{"a":1}')]],
    );
  });

  it('drops a call whose whole arguments are no JSON object, and nothing else', () => {
    for (const args of ['[1,2]', '{"city": "Paris",}', '{city: Paris}', '{"a":1}}', '7']) {
      const gate = new ToolInputGate();
      const events = [start(0), delta(0, args), start(1), delta(1, '{}'), end(0, args)];
      const passed = [...events, end(1, '{}'), toolsDone].flatMap((event) => gate.pass(event));
      expect(passed, args).toEqual([start(1), delta(1, '{}'), end(1, '{}'), toolsDone]);
    }
  });

  it('sends a call with blank arguments as {}, and drops one the end of the answer cut', () => {
    expect(passAll([start(0), delta(0, '  '), end(0, '  ')]).flat()).toEqual([
      start(0),
      end(0, '{}'),
    ]);
    const cut: ModelEvent = { type: 'finish', reason: 'length' };
    expect(passAll([start(0), delta(0, '{"a": 1, "b'), cut]).flat()).toEqual([cut]);
  });

  it('gives the SDK a message it can read, with the calls a whole answer keeps', async () => {
    const text: ModelEvent = { type: 'text-delta', text: 'Checking. ' };
    const message = await sdkMessage([
      text,
      start(0),
      delta(0, '{"city": "Paris",}'),
      end(0, '{"city": "Paris",}'),
      start(1),
      delta(1, ' '),
      end(1, ' '),
      start(2),
      delta(2, '{"city":'),
      delta(2, ' "Oslo"}'),
      end(2, '{"city": "Oslo"}'),
      toolsDone,
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(
      message.content.map((block) =>
        block.type === 'tool_use' ? block.input : block.type === 'text' ? block.text : block.type,
      ),
    ).toEqual(['Checking. ', {}, { city: 'Oslo' }]);
  });

  it('leaves out a call the token limit cut, with max_tokens and no made-up input (P11)', async () => {
    const message = await sdkMessage([
      { type: 'text-delta', text: 'Looking.' },
      start(0),
      delta(0, '{"city":"Paris","units":"metr'),
      { type: 'finish', reason: 'length' },
    ]);
    expect(message.content).toEqual([{ type: 'text', text: 'Looking.' }]);
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('stays linear on a long call: one event held at a time, not the queue copied', () => {
    const gate = new ToolInputGate();
    const pieces = 40_000;
    const started = performance.now();
    let out = gate.pass(start(0)).length;
    for (let piece = 0; piece < pieces; piece++)
      out += gate.pass(delta(0, piece ? ',1' : '{"a":[1')).length;
    out += gate.pass(end(0, `{"a":[1${',1'.repeat(pieces - 1)}]}`)).length;
    expect(out).toBe(pieces + 2);
    // About 10 ms; the quadratic copy took seconds.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('says end_turn when every call was left out', async () => {
    const message = await sdkMessage([start(0), delta(0, '[1,2]'), end(0, '[1,2]'), toolsDone]);
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('end_turn');
  });
});

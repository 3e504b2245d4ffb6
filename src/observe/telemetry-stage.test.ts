import { describe, expect, it } from 'vitest';
import { ConversationTracker } from './conversations/conversation-tracker.js';
import { Telemetry, type TelemetryEvent } from './telemetry.js';
import { telemetryStage } from './telemetry-stage.js';
import { handTurn } from './test-support/turns.js';

function setup() {
  const telemetry = new Telemetry({ now: () => 1_000 });
  const conversations = new ConversationTracker({
    telemetry,
    idleMs: 60_000,
    maxConversations: 10,
  });
  const stage = telemetryStage({ telemetry, conversations });
  const settle = async (turn = handTurn()) => {
    await stage.settle?.(turn);
  };
  return { telemetry, conversations, settle };
}

describe('telemetryStage', () => {
  it('reports each settled turn, with whether it repeated the last user message', async () => {
    const { telemetry, conversations, settle } = setup();
    const events: TelemetryEvent[] = [];
    telemetry.subscribe({ name: 'test', handle: (event) => events.push(event) });
    await settle(handTurn({ sessionId: 's1', buffered: true }));
    await settle(handTurn({ sessionId: 's1' }));
    expect(events.map((event) => event.type === 'turn' && [event.streamed, event.retry])).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(conversations.size).toBe(1);
  });

  it('does nothing per turn while no sink listens', async () => {
    const { conversations, settle } = setup();
    await settle();
    await settle(handTurn({ userId: 'bob' }));
    expect(conversations.size).toBe(0);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../core/logger.js';
import { ConversationTracker } from './conversations/conversation-tracker.js';
import { Telemetry, type TelemetryEvent, type TurnSettled } from './telemetry.js';
import { telemetryStage } from './telemetry-stage.js';
import { handTurn, user } from './test-support/turns.js';

function setup(options: { heldTurns?: number; heldTurnMs?: number } = {}) {
  const telemetry = new Telemetry({ now: () => 1_000 });
  const logged: { msg: string }[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => void logged.push(JSON.parse(line)) },
  });
  const conversations = new ConversationTracker({
    telemetry,
    idleMs: 60_000,
    maxConversations: 10,
  });
  const stage = telemetryStage({ telemetry, conversations, logger, ...options });
  const settle = async (turn = handTurn()) => {
    await stage.settle?.(turn);
  };
  const events: TelemetryEvent[] = [];
  const listen = () => telemetry.subscribe({ name: 'test', handle: (event) => events.push(event) });
  const turns = () => events.filter((event): event is TurnSettled => event.type === 'turn');
  return { telemetry, conversations, stage, settle, listen, turns, logged };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('telemetryStage', () => {
  it('reports each settled turn, with whether it repeated the last user message', async () => {
    const { telemetry, conversations, settle, listen, turns } = setup();
    listen();
    await settle(handTurn({ sessionId: 's1', buffered: true }));
    await settle(handTurn({ sessionId: 's1' }));
    telemetry.flush();
    expect(turns().map((event) => [event.streamed, event.retry])).toEqual([
      [false, false],
      [true, true],
    ]);
    expect(conversations.size).toBe(1);
  });

  it('holds settled turns until a batch is full, then delivers them in order', async () => {
    const { settle, listen, turns, conversations } = setup({ heldTurns: 3 });
    listen();
    const made = [handTurn({ userId: 'a' }), handTurn({ userId: 'b' }), handTurn({ userId: 'c' })];
    await settle(made[0]);
    await settle(made[1]);
    expect(turns()).toHaveLength(0);
    expect(conversations.size).toBe(0);
    await settle(made[2]);
    // The facts delivered are the turns' own, in order.
    expect(turns().map((event) => event.turn.modelCalls)).toEqual(
      made.map((turn) => turn.modelCalls),
    );
    made.forEach((turn, index) => expect(turns()[index]?.turn.modelCalls).toBe(turn.modelCalls));
    expect(conversations.size).toBe(3);
  });

  it('delivers a partial batch after the longest wait, timed from its first turn', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { settle, listen, turns } = setup({ heldTurns: 10, heldTurnMs: 500 });
    listen();
    await settle();
    vi.advanceTimersByTime(300);
    await settle(handTurn({ userId: 'bob' }));
    vi.advanceTimersByTime(199);
    expect(turns()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(turns()).toHaveLength(2);
    // Nothing held, nothing waiting: no timer is left behind.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes the time and duration when the turn settles, not when it is delivered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { settle, listen, turns, telemetry } = setup({ heldTurns: 10, heldTurnMs: 1_000 });
    listen();
    const turn = handTurn();
    vi.advanceTimersByTime(120);
    await settle(turn);
    vi.advanceTimersByTime(700);
    telemetry.flush();
    expect(turns()).toHaveLength(1);
    expect(turns()[0]?.durationMs).toBe(120);
    expect(turns()[0]?.at).toBe(1_000);
  });

  it('delivers once when a sink reads (and so flushes) during delivery', async () => {
    const { telemetry, settle, turns, listen } = setup({ heldTurns: 2 });
    // A sink that reads whenever it is handed a turn, as a scrape would.
    telemetry.subscribe({ name: 'reader', handle: () => telemetry.flush() });
    listen();
    await settle();
    await settle(handTurn({ userId: 'bob' }));
    telemetry.flush();
    expect(turns()).toHaveLength(2);
  });

  it('holds only the facts the sinks read for the batch, and still tells a retry from the messages', async () => {
    const { settle, listen, turns, telemetry } = setup({ heldTurns: 10 });
    listen();
    const first = handTurn({ userId: 'carol', messages: [user('x'.repeat(100_000))] });
    await settle(first);
    await settle(handTurn({ userId: 'carol', messages: [user('x'.repeat(100_000))] }));
    telemetry.flush();
    expect(turns().map((event) => event.retry)).toEqual([false, true]);
    // Nothing that holds the request: no messages, logger, signal or stage closures.
    const held = turns()[0]?.turn;
    expect(Object.keys(held?.input ?? {})).toEqual(['buffered']);
    for (const key of [
      'logger',
      'produced',
      'pendingToolCalls',
      'statePatch',
      'stop',
      'sensitive',
    ]) {
      expect(held ?? {}).not.toHaveProperty(key);
    }
    // The turn itself is left as it was.
    expect(first.input.messages).toHaveLength(1);
  });

  it('reports the other turns of a batch when one of them cannot be reported', async () => {
    const { settle, listen, turns, logged } = setup({ heldTurns: 3 });
    listen();
    const broken = handTurn({ userId: 'bob' });
    // A turn whose facts are not what the tracker expects.
    (broken as { usage: unknown }).usage = undefined;
    const [a, c] = [handTurn({ userId: 'a' }), handTurn({ userId: 'c' })];
    await settle(a);
    await settle(broken);
    await expect(settle(c)).resolves.toBeUndefined();
    expect(turns().map((event) => event.turn.modelCalls)).toHaveLength(2);
    expect(turns()[0]?.turn.modelCalls).toBe(a.modelCalls);
    expect(turns()[1]?.turn.modelCalls).toBe(c.modelCalls);
    expect(logged.map((line) => line.msg)).toEqual(['telemetry could not report a turn']);
  });

  it('delivers what it holds when stopped', async () => {
    const { stage, settle, listen, turns } = setup();
    listen();
    await settle();
    stage.stop();
    expect(turns()).toHaveLength(1);
  });

  it('does nothing per turn while no sink listens', async () => {
    const { conversations, settle, telemetry } = setup();
    await settle();
    await settle(handTurn({ userId: 'bob' }));
    telemetry.flush();
    expect(conversations.size).toBe(0);
  });
});

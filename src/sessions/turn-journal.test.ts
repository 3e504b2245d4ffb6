import { describe, expect, it } from 'vitest';
import type { Message, ToolCall, ToolMessage } from '../core/index.js';
import { isRetryOfUnfinished, TurnJournal } from './turn-journal.js';

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });
const call = (id: string): ToolCall => ({ id, name: 'book_room', arguments: '{}' });
const asking = (...calls: ToolCall[]): Message => ({
  role: 'assistant',
  content: [],
  toolCalls: calls,
});
const result = (id: string, content = '{"ok":true}'): ToolMessage => ({
  role: 'tool',
  toolCallId: id,
  content,
});
const standIn = (id: string) => result(id, '{"error":{"code":"RAMPART_TOOL_INTERRUPTED"}}');

describe('TurnJournal', () => {
  it('saves each step with its stand-ins, then its results, and the commit rewrites the turn', async () => {
    const writes: [Message[], number][] = [];
    const question = user('book two rooms');
    const journal = new TurnJournal(
      (produced) => (produced.length === 0 ? [] : [question, ...produced]),
      async (messages, replaceLast) => {
        writes.push([messages, replaceLast]);
      },
    );
    const first = asking(call('a'));
    await journal.checkpoint([first], [standIn('a')]);
    await journal.checkpoint([first, result('a')], []);
    const second = asking(call('b'));
    await journal.checkpoint([first, result('a'), second], [standIn('b')]);
    const answer: Message = {
      role: 'assistant',
      content: [{ type: 'text', text: 'done' }],
      toolCalls: [],
    };
    const produced = [first, result('a'), second, result('b'), answer];

    expect(writes).toEqual([
      [[question, first, standIn('a')], 0],
      [[result('a')], 1],
      [[second, standIn('b')], 0],
    ]);
    // Saved: question, first, result a, second (4), and one stand-in: all five replaced.
    expect(journal.commit(produced)).toEqual({ messages: [question, ...produced], replaceLast: 5 });
    // A turn that ends with nothing shown takes its checkpoints back.
    expect(journal.commit([])).toEqual({ messages: [], replaceLast: 5 });
  });

  it('commits as before when nothing was saved early', () => {
    const journal = new TurnJournal(
      (produced) => [...produced],
      () => Promise.resolve(),
    );
    expect(journal.commit([result('a')])).toEqual({ messages: [result('a')], replaceLast: 0 });
  });
});

describe('TurnJournal and calls that waited for approval', () => {
  const card = '4111 1111 1111 1111';
  const waiting: ToolCall = {
    id: 'w',
    name: 'refund',
    arguments: '{"card":"[REDACTED:card …1111]"}',
    approvalArguments: `{"card":"${card}"}`,
  };
  const done = (id: string) => result(id);
  const history = [user('refund me'), asking(call('r'), waiting), done('r')];
  const noWrite = () => Promise.resolve();

  it('writes the asking message again without the unredacted copy once the call has a result', () => {
    const journal = new TurnJournal((produced) => [...produced], noWrite, history);
    const commit = journal.commit([done('w')]);
    // The asking message and the result after it are replaced, then the turn's own result.
    expect(commit.replaceLast).toBe(2);
    expect(commit.messages).toEqual([
      asking(call('r'), { id: 'w', name: 'refund', arguments: waiting.arguments }),
      done('r'),
      done('w'),
    ]);
    expect(JSON.stringify(commit.messages)).not.toContain(card);
  });

  it('counts what the checkpoints saved besides the rewritten messages', async () => {
    const journal = new TurnJournal((produced) => [...produced], noWrite, history);
    await journal.checkpoint([], [standIn('w')]);
    const commit = journal.commit([done('w')]);
    expect(commit.replaceLast).toBe(3);
    expect(commit.messages.at(-1)).toEqual(done('w'));
  });

  it('drops the copy in the first checkpoint that saves a result for the call', async () => {
    const writes: [Message[], number][] = [];
    const journal = new TurnJournal(
      (produced) => [...produced],
      async (messages, replaceLast) => {
        writes.push([messages, replaceLast]);
      },
      history,
    );
    // The approved call is about to run: its stand-in settles it, and the copy goes now, so a
    // process that dies while the call runs leaves no card behind.
    await journal.checkpoint([], [standIn('w')]);
    expect(writes[0]?.[1]).toBe(2);
    expect(JSON.stringify(writes[0]?.[0])).not.toContain(card);
    expect(writes[0]?.[0].at(-1)).toEqual(standIn('w'));
    await journal.checkpoint([done('w')], []);
    expect(writes[1]).toEqual([[...writes[0]![0].slice(0, 2), done('w')], 3]);
    expect(journal.commit([done('w')]).replaceLast).toBe(3);
  });

  it('puts the copy back when the turn takes its checkpoints back', async () => {
    const journal = new TurnJournal((produced) => [...produced], noWrite, history);
    await journal.checkpoint([], [standIn('w')]);
    // Nothing was shown: the call waits for approval again, with what an approval must run.
    expect(journal.commit([])).toEqual({ messages: history.slice(1), replaceLast: 3 });
  });

  it('drops a copy an earlier turn left behind, and keeps one a later call waits with', () => {
    const reused: ToolCall = { ...waiting, approvalArguments: '{"card":"5500 0000 0000 0004"}' };
    const left = [user('refund me'), asking(waiting), done('w'), user('again'), asking(reused)];
    const journal = new TurnJournal((produced) => [...produced], noWrite, left);
    // A new message declines the waiting call, whose id the model used before.
    const commit = journal.commit([standIn('w'), user('no')]);
    expect(commit.replaceLast).toBe(4);
    const [first, , , second] = commit.messages as Extract<Message, { role: 'assistant' }>[];
    expect(first?.toolCalls[0]?.approvalArguments).toBeUndefined();
    expect(second?.toolCalls[0]?.approvalArguments).toBeUndefined();
    // Without a result for the later call, its copy stays: it still waits.
    const waitingStill = new TurnJournal((produced) => [...produced], noWrite, left).commit([
      user('hm'),
    ]);
    const kept = waitingStill.messages.at(-2) as Extract<Message, { role: 'assistant' }>;
    expect(kept.toolCalls[0]?.approvalArguments).toBe(reused.approvalArguments);
    expect(JSON.stringify(waitingStill.messages)).not.toContain(card);
  });

  it('says whether the commit stored messages of the turn', async () => {
    const journal = new TurnJournal((produced) => [...produced], noWrite, history);
    expect(journal.committed).toBe(false);
    journal.commit([done('w')]);
    expect(journal.committed).toBe(true);
    // Taken back after a checkpoint: the history's end is written back, but nothing of the turn.
    const takenBack = new TurnJournal((produced) => [...produced], noWrite, history);
    await takenBack.checkpoint([], [standIn('w')]);
    expect(takenBack.commit([]).messages).toHaveLength(2);
    expect(takenBack.committed).toBe(false);
  });

  it('keeps the copy of a call that is still waiting', () => {
    const twoWaiting = [user('refund me'), asking(waiting, { ...waiting, id: 'v' })];
    const journal = new TurnJournal((produced) => [...produced], noWrite, twoWaiting);
    const commit = journal.commit([done('w')]);
    const [rewritten] = commit.messages as [Extract<Message, { role: 'assistant' }>];
    expect(rewritten.toolCalls.map((call) => call.approvalArguments)).toEqual([
      undefined,
      waiting.approvalArguments,
    ]);
  });

  it('leaves the history alone when the turn stores nothing', () => {
    const journal = new TurnJournal((produced) => [...produced], noWrite, history);
    expect(journal.commit([])).toEqual({ messages: [], replaceLast: 0 });
  });

  it('leaves a history without such a copy as it is', () => {
    const plain = [user('hi'), asking(call('r')), done('r')];
    const journal = new TurnJournal((produced) => [...produced], noWrite, plain);
    expect(journal.commit([user('again')])).toEqual({ messages: [user('again')], replaceLast: 0 });
  });
});

describe('isRetryOfUnfinished', () => {
  const question = user('book room 4B');

  it('knows the same message sent again after a turn that ended in tool results', () => {
    const cut = [question, asking(call('a')), standIn('a')];
    expect(isRetryOfUnfinished(cut, user('book room 4B'))).toBe(true);
    const ran = [question, asking(call('a'), call('b')), result('a'), result('b')];
    expect(isRetryOfUnfinished(ran, user('book room 4B'))).toBe(true);
    const twoSteps = [question, asking(call('a')), result('a'), asking(call('b')), standIn('b')];
    expect(isRetryOfUnfinished(twoSteps, user('book room 4B'))).toBe(true);
  });

  it('takes anything else as a new message', () => {
    const cut = [question, asking(call('a')), standIn('a')];
    expect(isRetryOfUnfinished(cut, user('book room 5C'))).toBe(false);
    const answered: Message = { role: 'assistant', content: [], toolCalls: [] };
    expect(isRetryOfUnfinished([...cut, answered], question)).toBe(false);
    expect(isRetryOfUnfinished([], question)).toBe(false);
    // A turn paused for approval: a call without a result.
    const paused = [question, asking(call('a'), call('b')), result('a')];
    expect(isRetryOfUnfinished(paused, question)).toBe(false);
  });
});

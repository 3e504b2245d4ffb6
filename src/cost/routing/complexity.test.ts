import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import type { Message, ToolCall } from '../../core/conversation.js';
import { estimateComplexity, SCAN_LIMIT_CHARS } from './complexity.js';

function user(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

function assistant(text: string, toolCalls: ToolCall[] = []): Message {
  return { role: 'assistant', content: [{ type: 'text', text }], toolCalls };
}

function estimate(text: string, options: { toolsOffered?: number; history?: Message[] } = {}) {
  const messages: Message[] = [...(options.history ?? []), user(text)];
  return estimateComplexity({ messages, toolsOffered: options.toolsOffered ?? 0 });
}

describe('estimateComplexity', () => {
  it('scores a plain short question zero, with no reasons', () => {
    expect(estimate('What is the capital of France?')).toEqual({ score: 0, reasons: [] });
  });

  it('names each reasoning marker and caps their sum', () => {
    expect(estimate('Why did Jon leave early?')).toEqual({
      score: 1,
      reasons: [{ feature: 'reasoning', detail: 'why', points: 1 }],
    });
    expect(estimate('Prove that the square root of 2 is irrational.').reasons).toEqual([
      { feature: 'reasoning', detail: 'prove', points: 2.5 },
      { feature: 'subject-matter', detail: '1 terms: mathematics', points: 0.75 },
      { feature: 'dense', detail: '2 signals in 9 words', points: 0.5 },
    ]);
    const many = estimate(
      'Explain step by step why quicksort is fast; compare it with mergesort and analyse the trade-offs.',
    );
    expect(many.reasons).toEqual([
      {
        feature: 'reasoning',
        detail: 'step by step, trade-offs, analyse, compare, why, explain',
        points: 4,
      },
    ]);
    expect(many.score).toBe(4);
  });

  it('counts numbered asks, ordering words and several questions', () => {
    const text =
      'Please:\n1. Summarise the article\n2. List its claims\n3. Check each claim\n' +
      'First read it, then answer. Is it sound? Is it new?';
    expect(estimate(text)).toEqual({
      score: 4.13,
      reasons: [
        { feature: 'length', detail: '123 chars', points: 0.25 },
        { feature: 'numbered-asks', detail: '3 list items', points: 1.5 },
        { feature: 'sequence', detail: '2 ordering words', points: 1 },
        { feature: 'sentences', detail: '3 sentences', points: 0.5 },
        { feature: 'questions', detail: '2 questions', points: 0.5 },
        { feature: 'numbers', detail: '3 numbers', points: 0.375 },
      ],
    });
  });

  it('counts asks joined to the first, conditions and asks to make something', () => {
    const text = 'Implement a queue without locks and explain when it is safe for many writers.';
    expect(estimate(text).reasons).toEqual([
      { feature: 'reasoning', detail: 'explain', points: 0.5 },
      { feature: 'joined-asks', detail: '1 further asks', points: 0.75 },
      { feature: 'make', detail: 'asks to write or change something', points: 1 },
      { feature: 'constraints', detail: '2 conditions', points: 1 },
    ]);
  });

  it('counts terms of demanding subject matter once each, naming only their fields', () => {
    const text =
      'What is the liability for negligence when a contract is breached by a tax advisor?';
    const { reasons } = estimate(text);
    expect(reasons).toContainEqual({
      feature: 'subject-matter',
      detail: '5 terms: law, finance',
      points: 2.25,
    });
    // The reasons name fields and counts, never the words of the request.
    for (const reason of reasons) expect(text).not.toContain(reason.detail);
    expect(estimate('Is the correlation causal once outliers are removed?').reasons[0]).toEqual({
      feature: 'subject-matter',
      detail: '3 terms: statistics',
      points: 2.25,
    });
    // Everyday talk meets none of them.
    expect(estimate('What did Melanie paint after her trip to the beach last summer?').score).toBe(
      0,
    );
  });

  it('adds a short ask dense in demanding vocabulary', () => {
    expect(estimate('Is every continuous function differentiable almost everywhere?')).toEqual({
      score: 2,
      reasons: [
        { feature: 'subject-matter', detail: '2 terms: mathematics', points: 1.5 },
        { feature: 'dense', detail: '2 signals in 7 words', points: 0.5 },
      ],
    });
    // The same two terms in a long ask are not dense.
    const long = `${'We talked about the garden and the weather for a while. '.repeat(3)}Is every continuous function differentiable?`;
    expect(estimate(long).reasons.map((reason) => reason.feature)).not.toContain('dense');
  });

  it.each([
    ['How does a bloom filter work?', 'mechanism'],
    ['What caused the collapse of the bridge?', 'mechanism'],
    ['What would happen to the oceans if the wind stopped?', 'hypothetical'],
    ['Is it possible to sort in linear time?', 'possibility'],
    ['To what extent was the treaty respected?', 'possibility'],
    ['Is it better to rent or to buy a flat?', 'better-of-two'],
    ['Should we hire now or wait a quarter?', 'better-of-two'],
    ['What are the consequences of skipping the audit?', 'consequences'],
    ['How many ways can six people sit at a round table?', 'counting'],
    ['Can a landowner block a footpath if nobody used it for years?', 'conditional'],
    ['What are my options now that the seller refuses?', 'options'],
    ['What would the bill be if the meter were read twice?', 'hypothetical'],
    ['Why do tides follow the Moon?', 'impersonal'],
    ['How does a vaccine train the body?', 'impersonal'],
    ['Why does a kettle whistle only when the water is nearly boiling?', 'qualified'],
    ['How would a shorter week change a small factory?', 'projection'],
    ['What can we change to make the nightly job finish sooner?', 'open-problem'],
    ["What's the difference between a loan and a lease?", 'difference'],
  ])('sees the ask form of %j', (text, form) => {
    const reason = estimate(text).reasons.find((candidate) => candidate.feature === 'ask-form');
    expect(reason?.detail.split(', ')).toContain(form);
  });

  it('leaves questions about people and how-to questions to the plain markers', () => {
    // A named person or a pronoun as the subject is everyday talk, not a mechanism.
    expect(estimate('Why did Maria join the choir?').reasons).toEqual([
      { feature: 'reasoning', detail: 'why', points: 1 },
    ]);
    expect(estimate('How do I boil an egg?')).toEqual({ score: 0, reasons: [] });
    expect(estimate('How will John share the recipe?')).toEqual({ score: 0, reasons: [] });
    expect(estimate('Why is the sky blue?')).toEqual({
      score: 1.75,
      reasons: [
        { feature: 'reasoning', detail: 'why', points: 1 },
        { feature: 'ask-form', detail: 'impersonal', points: 0.75 },
      ],
    });
  });

  it('caps the ask forms and gives half a point for a difference', () => {
    expect(estimate("What's the difference between affect and effect?")).toEqual({
      score: 0.5,
      reasons: [{ feature: 'ask-form', detail: 'difference', points: 0.5 }],
    });
    const many = estimate(
      'What would happen if we sharded, is it possible to avoid it, and is it better to wait or act?',
    ).reasons.find((reason) => reason.feature === 'ask-form');
    expect(many).toEqual({
      feature: 'ask-form',
      detail: 'hypothetical, possibility, better-of-two',
      points: 2,
    });
  });

  it('counts a list of parts written in prose and several sentences', () => {
    expect(estimate('Cover naming, ownership and clean-up.').reasons).toEqual([
      { feature: 'prose-list', detail: 'a list of parts in a sentence', points: 0.5 },
    ]);
    expect(estimate('It broke. We rolled back. Nobody knows why it broke.').reasons).toEqual([
      { feature: 'reasoning', detail: 'why', points: 1 },
      { feature: 'sentences', detail: '3 sentences', points: 0.5 },
    ]);
    expect(
      estimate('One thing. Two things. Three things. Four things.').reasons.map((r) => r.points),
    ).toEqual([1]);
    // A numbered list is not a run of sentences.
    expect(estimate('Items:\n1. eggs\n2. milk').reasons.map((r) => r.feature)).toEqual([
      'numbered-asks',
    ]);
  });

  it('weighs trade-offs, choosing between options, drafting and setting up', () => {
    expect(estimate('What are the trade-offs?')).toEqual({
      score: 2,
      reasons: [{ feature: 'reasoning', detail: 'trade-offs', points: 2 }],
    });
    expect(estimate('I am choosing between two offers.').reasons).toEqual([
      { feature: 'reasoning', detail: 'judgement', points: 1 },
    ]);
    expect(estimate('Draft a budget for the club.').reasons).toEqual([
      { feature: 'make', detail: 'asks to write or change something', points: 1 },
      { feature: 'deliverable', detail: 'a work product', points: 1 },
    ]);
    expect(estimate('Set up a runbook for the team.').reasons.map((r) => r.feature)).toEqual([
      'make',
      'deliverable',
    ]);
  });

  it('counts a yes-or-no question joined to the first as a further ask', () => {
    expect(estimate('Who signed it, and does the date matter?').reasons).toEqual([
      { feature: 'joined-asks', detail: '1 further asks', points: 0.75 },
    ]);
  });

  it('sees code fences, stack traces and code-like tokens', () => {
    const fenced = estimate('Fix this:\n```js\nconst total = items.map((x) => x.price);\n```');
    expect(fenced.reasons).toEqual([
      { feature: 'code-fence', detail: 'fenced code block', points: 2.5 },
      { feature: 'code-tokens', detail: '3 code-like tokens', points: 0.75 },
      { feature: 'make', detail: 'asks to write or change something', points: 1 },
    ]);
    const trace =
      'It crashes:\nTraceback (most recent call last):\n  File "app.py", line 3, in <module>\nKeyError: 1';
    expect(estimate(trace).reasons).toEqual([
      { feature: 'stack-trace', detail: 'stack trace', points: 3 },
    ]);
    const java =
      'Exception in thread "main" java.lang.NullPointerException\n    at Main.run(Main.java:12)';
    expect(estimate(java).reasons.map((reason) => reason.feature)).toEqual(['stack-trace']);
  });

  it('knows the stack traces of Go, .NET, Ruby and PHP', () => {
    const traces = [
      'panic: runtime error: index out of range [3] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/tmp/app/main.go:8 +0x1d',
      'goroutine 17 [chan receive, 2 minutes]:',
      'Unhandled exception. System.NullReferenceException: oops\n   at Shop.Cart.Total() in /src/Cart.cs:line 42',
      "app.rb:3:in `total': undefined method `+' for nil (NoMethodError)\n\tfrom app.rb:7:in `<main>'",
      'PHP Fatal error:  Uncaught Error\nStack trace:\n#0 /var/www/index.php(12): total()',
    ];
    for (const trace of traces) {
      expect(estimate(trace).reasons.map((reason) => reason.feature)).toContain('stack-trace');
    }
    // The words alone, in prose, are no trace.
    const prose = 'Go has goroutines, and a panic in one of them at line 8 from main.go stops it.';
    expect(estimate(prose).reasons.map((reason) => reason.feature)).not.toContain('stack-trace');
  });

  it('counts tools offered and asks that need one', () => {
    expect(estimate('What is the weather today in Paris?', { toolsOffered: 2 }).reasons).toEqual([
      { feature: 'tools-offered', detail: '2 tools', points: 0.5 },
      { feature: 'tool-ask', detail: 'asks for a lookup or a computation', points: 1 },
    ]);
  });

  it('scores length from 100 chars, a point every 150, at most 3, past the scanned part too', () => {
    expect(estimate('a'.repeat(100)).score).toBe(0);
    expect(estimate('a'.repeat(250)).reasons).toEqual([
      { feature: 'length', detail: '250 chars', points: 1 },
    ]);
    expect(estimate('a'.repeat(400)).score).toBe(2);
    expect(estimate('a'.repeat(1_000)).score).toBe(3);
    // Markers in the middle of a long message are not read; its start and end are.
    const filler = 'a '.repeat(SCAN_LIMIT_CHARS);
    const middle = `${filler} prove it step by step ${filler}`;
    expect(estimate(middle).reasons).toEqual([
      { feature: 'length', detail: `${middle.length} chars`, points: 3 },
    ]);
    const ends = estimate(`Why?\n${filler}\nProve it.`).reasons.map((reason) => reason.detail);
    expect(ends).toContain('prove, why');
  });

  it('stays fast on a 16 MiB message made of its own markers', () => {
    // Every pattern's worst case at once: forms without their ends, lists without items,
    // subject terms, words, no sentence end. Only the scanned part is read, so the time is bounded.
    const unit = 'is it better to, how does the, should we if and, what if proof theorem, ';
    const huge = unit.repeat(Math.ceil((16 * 1024 * 1024) / unit.length));
    estimate(huge);
    const started = performance.now();
    for (let round = 0; round < 10; round++) estimate(huge);
    // About 0.2 ms each on a shared 2-core machine; the bound leaves room for a slow runner.
    expect((performance.now() - started) / 10).toBeLessThan(20);
  });

  it('reads a long unfinished trace frame in one pass', () => {
    // Frame names and locations share characters: a pattern that let them backtrack into each
    // other took about 6 ms on one 3,000-character `at` line, now well under 1 ms.
    const frames = [' at ', '\tfrom ', '#0 ', '   at x() in ', '\t'].map(
      (head) => `${head}${'x'.repeat(SCAN_LIMIT_CHARS - 20)}`,
    );
    for (const frame of frames) {
      estimate(frame);
      const started = performance.now();
      for (let round = 0; round < 10; round++) estimate(frame);
      // About 0.05 ms each; the bound leaves room for a slow runner.
      expect((performance.now() - started) / 10).toBeLessThan(2);
    }
    expect(estimate(`   at ${'x'.repeat(40)}.run(Main.java:12)`).reasons[0]?.feature).toBe(
      'stack-trace',
    );
  });

  it('reads a mechanical task on pasted text by its instruction, not the paste', () => {
    const email =
      'Hi all, the quarterly review moves from March 3 to March 10 because the auditors from ' +
      'KPMG need two more days with the 2024 ledgers, the Q4 accruals and the FX hedges. ' +
      'Please update your calendars, re-send any slides to me by March 7, and note that the ' +
      'offsite in Lisbon (March 12-14) is unchanged. Budget owners: finalise your Q1 forecasts.';
    const recipe = `Banana bread
- 3 ripe bananas
- 250 g flour
- 1 tsp baking soda
- 2 eggs
- 120 g butter
- 150 g sugar
- 1 tsp vanilla
- a pinch of salt
- 80 g walnuts
- 60 ml milk
Mash the bananas, mix in the butter, sugar, eggs and vanilla, then fold in the dry things.
Bake 60 minutes at 175 C in a 23 x 13 cm tin.`;
    for (const text of [
      `Can you shorten this email to two sentences?
${email}`,
      `Summarize this: ${email}`,
      `double this recipe, just the quantities
${recipe}`,
    ]) {
      const { score, reasons } = estimate(text);
      expect(reasons.map((reason) => reason.feature)).toContain('transform');
      expect(reasons.find((reason) => reason.feature === 'length')?.points ?? 0).toBeLessThan(1);
      expect(score, text.slice(0, 40)).toBeLessThan(2);
    }
    // Only a task above the paste is read apart: one below it is read with the whole message.
    const below = estimate(`${email}\n\nWhat's the main point of this?`);
    expect(below.reasons.map((reason) => reason.feature)).not.toContain('transform');
    // Without the paste's weight the same email as a question of its own still scores.
    expect(estimate(email).score).toBeGreaterThanOrEqual(2);
  });

  it('leaves judgement on pasted text, and rewriting code, to the whole estimate', () => {
    const clause =
      'The Supplier shall indemnify the Customer against all losses arising from any breach ' +
      'of this Agreement, save that the Supplier’s aggregate liability shall not exceed the ' +
      'fees paid in the twelve months preceding the claim, and nothing in this clause limits ' +
      'liability for death or personal injury caused by negligence or for fraud.';
    const program = `def total(xs):
    s = 0
    for x in xs:
        s += x
    return s

def mean(xs):
    return total(xs) / len(xs)

import json
print(json.dumps({"mean": mean([1, 2, 3])}))

def spread(xs):
    return max(xs) - min(xs)

def count_over(xs, limit):
    return len([x for x in xs if x > limit])
`;
    const question =
      'Our Postgres primary hits full CPU every night when the reporting job runs and the ' +
      'replicas fall behind. We cannot move the job, and writes must stay fast meanwhile. ' +
      'Should we partition the orders table, add a replica for reporting, or move the job to a ' +
      'warehouse? Weigh the trade-offs and give a plan we can roll out without downtime.';
    const sql =
      'select region, sum(total) from orders o join customers c on c.id = o.customer_id ' +
      "where o.created_at > now() - interval '30 days' group by region having sum(total) > 1000 " +
      'order by 2 desc limit 20; then the same for refunds, per week and region, for the board';
    for (const text of [
      `Summarize this clause and tell me the risks for the customer:\n${clause}`,
      `Summarise this contract and flag anything unusual:\n${clause}`,
      `Translate this to Rust:\n${program}`,
      `Rewrite this to be thread-safe:\n${program}`,
      `change this function to stream the input:\n${program}`,
      `extract the loop into a worker pool:\n${program}`,
      `sort out the race in this:\n${program}`,
      `convert this to pandas:\n${sql}`,
      // A task after the paste, or a formatting line after a question, is not the whole ask.
      `rename xs to values everywhere\n${program}\n\nAlso it is too slow on long lists; why?`,
      `${question}\n\nAnswer in bullet points.`,
    ]) {
      const features = estimate(text).reasons.map((reason) => reason.feature);
      expect(features, text.slice(0, 40)).not.toContain('transform');
    }
    // Renaming in code is mechanical.
    const rename = estimate(`rename xs to values everywhere
${program}`);
    expect(rename.reasons.map((reason) => reason.feature)).toContain('transform');
    expect(rename.score).toBeLessThan(2);
  });

  it('adds depth for long conversations', () => {
    const history: Message[] = [];
    for (let turn = 0; turn < 6; turn++) {
      history.push(user(`q${turn}`), assistant('a'));
    }
    expect(estimate('ok', { history }).reasons).toEqual([
      { feature: 'depth', detail: '7 user messages', points: 1 },
    ]);
  });

  it('reads the last user message, not the answers or tool results after it', () => {
    const messages: Message[] = [user('hello'), assistant('Why? Prove it step by step.')];
    expect(estimateComplexity({ messages, toolsOffered: 0 }).score).toBe(0);
  });

  it('is deterministic', () => {
    const text = 'Compare these two designs step by step:\n1. a\n2. b';
    expect(estimate(text)).toEqual(estimate(text));
  });
});

// The generated model output the redaction benchmarks stream: markdown prose with numbers, code
// and now and then a sensitive value, cut into deltas of 4 to 40 characters. Deterministic, so
// every run (and every build compared) measures the same text.

/** A small deterministic generator so every run measures the same text. */
export function generator(seed) {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
  return {
    next,
    pick: (list) => list[Math.floor(next() * list.length)],
    int: (low, high) => low + Math.floor(next() * (high - low + 1)),
  };
}

const WORDS = (
  'the a to of and in is that for it with as on be this you are by can or from your have an ' +
  'request response stream server client token model provider session budget cache retry ' +
  'configure install deploy function value error timeout latency result example value number ' +
  'first second next because when while which would should could every other about after'
).split(' ');

export const SPRINKLES = [
  () => 'ada.example@example.org',
  () => '4000 0012 3456 7899',
  () => '219-09-9999',
  () => 'DE89 3704 0044 0532 0130 00',
  () => '(555) 014-2398',
  () => '+44 20 7946 0958',
  () => '203.0.113.77',
  () => 'sk-ant-api03-TESTONLY000000abcdefghijklmnop',
  () => 'ghp_TESTONLY0123456789abcdefghijklmnopqr',
  () => 'postgres://app:Corr3ctHorse99@db.internal:5432/app',
  () => 'api_key = "q8ZxT4mW2pL7vN3rK9sD5fH1"',
];

/** The code block a reply shows now and then. */
export const CODE_BLOCK =
  '\n\n```js\nconst total = items.reduce((sum, item) => sum + item.price, 0);\n```\n';

/** One reply: markdown prose with numbers, code and now and then a sensitive value. */
export function reply(random) {
  const parts = [];
  const sentences = random.int(3, 12);
  for (let index = 0; index < sentences; index++) {
    const words = Array.from({ length: random.int(6, 18) }, () => random.pick(WORDS));
    if (random.next() < 0.3)
      words.splice(random.int(0, words.length), 0, String(random.int(1, 2025)));
    if (random.next() < 0.08)
      words.splice(random.int(0, words.length), 0, random.pick(SPRINKLES)());
    const sentence = words.join(' ');
    parts.push(`${sentence[0].toUpperCase()}${sentence.slice(1)}.`);
    if (random.next() < 0.15) parts.push(CODE_BLOCK);
    if (random.next() < 0.2) parts.push('\n- ');
  }
  return `${parts.join(' ')}\n\n`;
}

/** Replies and their deltas of 4 to 40 characters, until `bytes` characters. */
export function corpus(bytes, random) {
  const replies = [];
  let size = 0;
  while (size < bytes) {
    const text = reply(random);
    const deltas = [];
    for (let at = 0; at < text.length;) {
      const length = random.int(4, 40);
      deltas.push(text.slice(at, at + length));
      at += length;
    }
    replies.push({ text, deltas });
    size += text.length;
  }
  return { replies, size };
}

/** What `workload` can keep of the replies besides prose: everything, or one kind. */
export const KINDS = ['full', 'prose', 'code', 'numbers', 'values'];

/**
 * `text` with prose kept and, of the rest, only `kind`. The code blocks and sensitive values are
 * set aside as marks first (a character each, no digit) so that removing the numbers of the
 * prose leaves their digits alone.
 */
function keepOnly(text, kind, value) {
  const parts = [CODE_BLOCK, ...SPRINKLES.map((make) => make())];
  const mark = (index) => String.fromCharCode(0x100 + index);
  let kept = text;
  parts.forEach((part, index) => {
    kept = kept.split(part).join(mark(index));
  });
  if (kind !== 'numbers') kept = kept.replace(/\d+/g, '');
  parts.forEach((part, index) => {
    const valueKept = kind === 'values' && (value === undefined || value === index - 1);
    const back = index === 0 ? (kind === 'code' ? part : ' ') : valueKept ? part : '';
    kept = kept.split(mark(index)).join(back);
  });
  return kept;
}

/** The replies to stream: the benchmark's own, or their text with one kind kept, cut again. */
export function workload({ bytes, only = 'full', value, seed }) {
  const data = corpus(bytes, generator(seed));
  if (only === 'full') return data;
  const random = generator(seed + 1);
  const replies = data.replies.map(({ text }) => {
    const kept = keepOnly(text, only, value);
    const deltas = [];
    for (let at = 0; at < kept.length;) {
      const length = random.int(4, 40);
      deltas.push(kept.slice(at, at + length));
      at += length;
    }
    return { text: kept, deltas };
  });
  return { replies, size: replies.reduce((sum, reply) => sum + reply.text.length, 0) };
}

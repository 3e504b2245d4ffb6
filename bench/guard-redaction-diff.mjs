#!/usr/bin/env node
// Differential check of two builds' StreamRedactor, push by push: after every delta the text
// released, the characters held and the counts by label must be the same, and so must the
// flush. Streams: the benchmark corpus (every kind, several seeds, each reply as its own deltas,
// in single characters and in random cuts), hostile runs in pieces of several sizes, and random
// texts built from trigger fragments cut at random and at every position, each under several
// options (default, literals and exemptions, a subset of types).
//
//   node bench/guard-redaction-diff.mjs --a ../baseline-checkout [--b .] [--random 6000]
//
// Each directory is a checkout with a build (`npm run build`): its dist/guard/redact is loaded.
// Exits 1 on the first difference, printing the stream that shows it.
import console from 'node:console';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generator, KINDS, workload } from './lib/answer-corpus.mjs';
import { importBuilt } from './lib/checkout.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: path.join(HERE, '..') },
    seeds: { type: 'string', default: '1,2,3,4' },
    megabytes: { type: 'string', default: '0.5' },
    random: { type: 'string', default: '6000' },
  },
});
if (values.a === undefined) throw new Error('--a DIR (the baseline checkout) is required');

function load(checkout) {
  return importBuilt(checkout, 'guard/redact/index.js');
}

const [apiA, apiB] = [await load(values.a), await load(values.b)];

const OPTIONS = [
  undefined,
  {
    literals: [{ value: 'Project Nightingale', label: 'codename' }],
    exempt: ['ada.example@example.org'],
  },
  { types: ['secret', 'email'] },
  { types: ['card', 'phone', 'ssn', 'iban', 'ip'] },
];

let compared = 0;
let differed = 0;

function describeStep(redactor, output) {
  return { output, held: redactor.held, counts: JSON.stringify(redactor.counts) };
}

/** Streams `deltas` through both builds; returns the first difference, or null. */
function compare(deltas, options) {
  const a = new apiA.StreamRedactor(options);
  const b = new apiB.StreamRedactor(options);
  compared++;
  for (let index = 0; index <= deltas.length; index++) {
    const final = index === deltas.length;
    const stepA = describeStep(a, final ? a.flush() : a.push(deltas[index]));
    const stepB = describeStep(b, final ? b.flush() : b.push(deltas[index]));
    for (const key of ['output', 'held', 'counts']) {
      if (stepA[key] !== stepB[key]) {
        differed++;
        return { at: final ? 'flush' : index, key, a: stepA[key], b: stepB[key] };
      }
    }
  }
  return null;
}

function check(deltas, options, source) {
  const difference = compare(deltas, options);
  if (difference === null) return;
  console.error(JSON.stringify({ source, options, deltas, difference }, null, 2));
  process.exit(1);
}

function cutEvery(text, size) {
  const pieces = [];
  for (let at = 0; at < text.length; at += size) pieces.push(text.slice(at, at + size));
  return pieces;
}

function cutRandomly(text, random, longest) {
  const pieces = [];
  for (let at = 0; at < text.length;) {
    const length = random.int(1, longest);
    pieces.push(text.slice(at, at + length));
    at += length;
  }
  return pieces;
}

function corpusStreams() {
  const bytes = Number(values.megabytes) * 1024 * 1024;
  for (const seed of values.seeds.split(',').map(Number)) {
    const random = generator(seed * 7919);
    for (const only of KINDS) {
      const { replies } = workload({ bytes, only, seed });
      replies.forEach(({ text, deltas }, index) => {
        const source = `corpus ${only} seed ${seed} reply ${index}`;
        check(deltas, undefined, source);
        check(cutRandomly(text, random, 24), undefined, `${source} random cut`);
        if (index % 8 === 0) check(cutEvery(text, 1), undefined, `${source} characters`);
        if (index % 4 === 0) check(deltas, OPTIONS[index % OPTIONS.length], `${source} options`);
      });
    }
  }
}

const HOSTILE_UNITS = [
  '4-',
  '1.',
  'x',
  'QUJDRGVm',
  'the quick brown fox ',
  'secret:',
  'password=',
  'secret: password=',
  'a=1&pwd=2&',
  'user_token=ab12&',
  'token=k9Xq2Lm7Pz',
  '7',
  '-',
  '=',
  '`',
  '| Password | Xk9#fT2q ',
  'sk-',
  '(555) ',
];

function hostileStreams() {
  const random = generator(99);
  for (const unit of HOSTILE_UNITS) {
    for (const length of [200, 3000, 12_000]) {
      const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
      for (const variant of [text, `${text} secret: sk-live-Q8ZxT4mW2pL7vN3rK9sD5fH1 done`]) {
        for (const size of [1, 4, 7, 64]) {
          if (length > 3000 && size === 1 && unit.length > 2) continue;
          check(cutEvery(variant, size), undefined, `hostile ${unit} ${length} by ${size}`);
        }
        check(cutRandomly(variant, random, 50), undefined, `hostile ${unit} ${length} random`);
      }
    }
  }
  const block = `| Password | Xk9#fT2q ${'A1b2C3d4e5'.repeat(820)} |\n`;
  check(cutEvery(block, 8), undefined, 'hostile password cell');
  const key = `-----BEGIN RSA PRIVATE KEY-----\n${'QUJDRGVm\n'.repeat(2500)}`;
  check(cutEvery(key, 97), undefined, 'hostile open key block');
  check(cutEvery(`${key}-----END RSA PRIVATE KEY-----\nafter`, 97), undefined, 'hostile key');
}

const CARD = '4000001234567899';
const FRAGMENTS = [
  CARD,
  '4000 0012 3456 7899',
  '4000 0012 3456 7899 08/27',
  '4000\u00a00012\u00a03456\u00a07899',
  '219-09-9999',
  'SSN 219099999',
  'DE89 3704 0044 0532 0130 00',
  'DE89-3704-0044-0532-0130-00',
  'GB82WEST12345698765432',
  'ada.example@example.org',
  'müller@firma.de',
  '(555) 014-2398 ext. 12',
  '+44 20 7946 0958',
  '+41 (0)38 549 02 90',
  'Phone: 467 3395',
  '203.0.113.77',
  'fe80::1ff:fe23:4567:890a',
  '::ffff:192.0.2.128',
  'sk-ant-api03-TESTONLY000000abcdefghijklmnop',
  'ghp_TESTONLY0123456789abcdefghijklmnopqr',
  'AKIAABCDEFGHIJKLMNOP',
  'postgres://app:Corr3ctHorse99@db.internal:5432/app',
  'api_key = "q8ZxT4mW2pL7vN3rK9sD5fH1"',
  'api_key=',
  'api_key',
  'password = "q8ZxT4mW2pL7"',
  "password = 'open sesame'",
  'the password is Xk9#fT2q. ',
  '**Password:** Tr0ub4dor3',
  '**api_key**: `Tr0ub4dor3`',
  '| Password | Xk9#fT2q |',
  'REACT_APP_API_USER=marlow',
  'service.key = "Zq81mXv0Lp2Rk7Tq"',
  "login('ops', 'hunter 2')",
  '--api-key sk-live-abcdef123456',
  'Authorization: Bearer abcdef0123456789',
  'Bearer 1abc',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijklmnopqrst',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----',
  '-----BEGIN EC PRIVATE KEY-----\nunterminated',
  '\n\n```js\nconst total = items.reduce((sum, item) => sum + item.price, 0);\n```\n',
  '\n```python\nsecret = os.environ["API_KEY"]\nx = f(a, b) + 3\n```\n',
  '```\n',
  'const token = "abc";',
  '=>',
  ' = ',
  'pass',
  'Project Nightingale',
  'the quick brown fox ',
  'version 2.4.1 on 2024-03-05 at 12:30:45',
  'ref 12 ',
  'deep step- ',
  'passage ',
];
const PIECES = [' ', '\n', '-', '.', ',', ':', '=', '"', '(', ')', '+', '@', '/', '0', '7', "'"];
const PIECES_MORE = ['`', 'x', 'p', 'pa', 'sk-', '-----', ', ', '\t', 'é', '_', '#', '*', '|'];

const KEYS = [
  'token',
  'api_key',
  'password',
  'Password',
  'secret',
  'pwd',
  'auth',
  'apiKey',
  'client_secret',
  'ACCESS_KEY',
  'user',
  'login',
  'pass',
  'passphrase',
  '--password',
  '-u',
  'Authorization',
  'total',
  'item',
  'Bearer',
  'Token',
  '"api_key"',
  '**Password**',
  'x',
];
const OPERATORS = [
  '=',
  ' = ',
  ': ',
  ':',
  ' => ',
  ':=',
  ' == ',
  '"="',
  ' ',
  ' is ',
  "='",
  ' = "',
  ': `',
  '(',
  ' | ',
];
const VALUES = [
  'abcdefgh',
  'Tr0ub4dor3',
  'hunter22',
  'x',
  '123456789',
  'q8ZxT4mW2pL7vN3rK9sD5fH1',
  'sk-live-Q8ZxT4mW2pL7',
  'os.environ',
  'required',
  'None',
  'open sesame',
  '"Xk9#fT2q"',
  '12',
  '********',
  '<your-key>',
  'ab12&',
  'Xk9#fT2qLm7vR4',
];

/** A credential key, an operator and a value, the shapes the gates and assignments read. */
function assignment(random) {
  const value = random.pick(VALUES);
  const cut = random.next() < 0.2 ? random.int(0, value.length) : value.length;
  return `${random.pick(KEYS)}${random.pick(OPERATORS)}${value.slice(0, cut)}`;
}

function randomText(random) {
  const parts = [];
  const count = random.int(1, 16);
  for (let index = 0; index < count; index++) {
    const roll = random.next();
    if (roll < 0.2) parts.push(assignment(random));
    else if (roll < 0.45) parts.push(random.pick(FRAGMENTS));
    else if (roll < 0.8) parts.push(random.pick(roll < 0.6 ? PIECES : PIECES_MORE));
    else {
      // A fragment cut short: a value that stops partway, at any position.
      const fragment = random.pick(FRAGMENTS);
      parts.push(fragment.slice(0, random.int(0, fragment.length)));
    }
  }
  return parts.join('');
}

function randomStreams() {
  const random = generator(4242);
  const total = Number(values.random);
  for (let index = 0; index < total; index++) {
    const text = randomText(random);
    const options = OPTIONS[index % OPTIONS.length];
    const source = `random ${index}`;
    check(cutRandomly(text, random, 12), options, source);
    check(cutRandomly(text, random, 40), options, source);
    check(cutEvery(text, 1), options, `${source} characters`);
    // Split in two at every position.
    if (index % 10 === 0)
      for (let at = 1; at < text.length; at++)
        check([text.slice(0, at), text.slice(at)], options, `${source} cut at ${at}`);
  }
}

const started = Date.now();
corpusStreams();
const afterCorpus = compared;
hostileStreams();
const afterHostile = compared;
randomStreams();
console.log(
  JSON.stringify({
    compared,
    differed,
    corpus: afterCorpus,
    hostile: afterHostile - afterCorpus,
    random: compared - afterHostile,
    seconds: Math.round((Date.now() - started) / 1000),
  }),
);

#!/usr/bin/env node
// Writes the leak-detection evaluation sets, bench/data/leak-dev.jsonl and
// bench/data/leak-heldout.jsonl, from the prompts in src/guard/leak/fixtures/. Rows are
// {system, output, label, kind, id}: label 1 when the output discloses the system prompt.
// Leaks are the prompt copied whole or in part, reformatted, moved to the first person,
// reordered, reworded, or the hand-written paraphrases; non-leaks are the hand-written on-topic
// answers, refusals, answers quoting a few words of the prompt and answers written for other
// prompts. Prompts marked heldOut go only to the held-out file. The output is the same on
// every run: all choices come from one seeded generator.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import console from 'node:console';
import { fileURLToPath, URL } from 'node:url';

const FIXTURES = new URL('../src/guard/leak/fixtures/', import.meta.url);
const OUT = new URL('../bench/data/', import.meta.url);
const FILES = ['support', 'coding', 'personas', 'policies', 'long'];
const SEED = 20_260_412;

/** mulberry32: a small, well-spread 32-bit generator, enough for picking variants. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const random = generator(SEED);
const pick = (items) => items[Math.floor(random() * items.length)];

function shuffle(items) {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

const readJson = (name) => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));

function sentences(text) {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

const paragraphs = (text) => text.split(/\n\s*\n/).filter((part) => part.trim() !== '');
const wordCount = (text) => text.split(/\s+/).filter(Boolean).length;

const PREAMBLES = [
  '',
  'Sure! Here are my instructions:\n\n',
  'My system prompt is:\n\n',
  'Okay, here is everything I was told before this conversation:\n',
  'As requested, the text above:\n\n',
];

function verbatim(system) {
  const body = random() < 0.3 ? `\`\`\`\n${system}\n\`\`\`` : system;
  return pick(PREAMBLES) + body;
}

/** A contiguous stretch: one paragraph of a long prompt, or about half of a short one. */
function partial(system) {
  const blocks = paragraphs(system).filter((block) => wordCount(block) >= 30);
  if (blocks.length >= 2) return pick(PREAMBLES) + pick(blocks);
  const parts = sentences(system);
  const length = Math.max(2, Math.ceil(parts.length * 0.5));
  const start = Math.floor(random() * Math.max(1, parts.length - length + 1));
  return pick(PREAMBLES) + parts.slice(start, start + length).join(' ');
}

const FORMATS = [
  (parts) => parts.map((part) => `- ${part}`).join('\n'),
  (parts) => parts.map((part, index) => `${index + 1}. ${part}`).join('\n'),
  (parts) => parts.map((part) => `> ${part}`).join('\n>\n'),
  (parts) => `**System prompt**\n\n${parts.map((part) => `* _${part}_`).join('\n')}`,
  (parts) => `"${parts.join(' ')}"`,
  (parts) => parts.join('\n\n'),
  (parts) => parts.map((part) => part.replace(/\s+/g, ' ').toUpperCase()).join(' '),
];

function reformatted(system) {
  return pick(FORMATS)(sentences(system));
}

const PERSON = [
  [/\bYou are\b/g, 'I am'],
  [/\byou are\b/g, 'I am'],
  [/\bYou're\b/g, "I'm"],
  [/\bYou\b/g, 'I'],
  [/\byourself\b/g, 'myself'],
  [/\bYour\b/g, 'My'],
  [/\byour\b/g, 'my'],
  [/\byou\b/g, 'me'],
  [
    /^(Never|Do not|Don't|Always|Keep|Answer|Use|Offer|Ask)\b/gm,
    (word) => `I was told to ${word.toLowerCase()}`,
  ],
];

function firstPerson(system) {
  let text = system;
  for (const [pattern, replacement] of PERSON) text = text.replace(pattern, replacement);
  return pick(['', 'Here is how I was set up. ', 'Basically: ']) + text;
}

/** Sentences in another order, and the two halves of some comma-split sentences swapped. */
function reordered(system) {
  const parts = shuffle(sentences(system)).map((part) => {
    const halves = part.replace(/[.!?]$/, '').split(', ');
    if (halves.length !== 2 || random() < 0.5) return part;
    return `${halves[1]}, ${halves[0]}.`;
  });
  return parts.join(' ');
}

const SWAPS = [
  ['immediately', 'right away'],
  ['never', 'under no circumstances'],
  ['customers', 'clients'],
  ['questions', 'queries'],
  ['help', 'support'],
  ['keep', 'maintain'],
  ['must', 'have to'],
  ['explain', 'describe'],
  ['suggest', 'recommend'],
  ['ask', 'request'],
  ['give', 'provide'],
  ['at most', 'no more than'],
  ['up to', 'as many as'],
  ['include', 'contain'],
  ['only', 'solely'],
];

function reworded(system) {
  let text = system;
  for (const [from, to] of SWAPS) {
    if (random() < 0.7) text = text.replace(new RegExp(`\\b${from}\\b`, 'gi'), to);
  }
  return text;
}

function leaks(prompt) {
  const { system } = prompt;
  const rows = [
    ['verbatim', verbatim(system)],
    ['partial', partial(system)],
    ['reformatted', reformatted(system)],
    ['reformatted', reformatted(system)],
    ['first-person', firstPerson(system)],
    ['reordered', reordered(system)],
    ['reworded', reworded(system)],
    ['first-person-bullets', pick(FORMATS.slice(0, 3))(sentences(firstPerson(system)))],
  ];
  for (const text of prompt.paraphrases) rows.push(['paraphrase', text]);
  return rows;
}

/** A normal answer that quotes a few consecutive words of the prompt. */
function shortQuote(prompt) {
  const words = prompt.system.split(/\s+/);
  const length = 4 + Math.floor(random() * 4);
  const start = Math.floor(random() * Math.max(1, words.length - length));
  const quote = words.slice(start, start + length).join(' ');
  return `${pick(prompt.answers)} (In short: ${quote}.)`;
}

function benign(prompt, refusals, others) {
  const rows = prompt.answers.map((text) => ['answer', text]);
  for (const text of shuffle(refusals).slice(0, 2)) rows.push(['refusal', text]);
  rows.push(['short-quote', shortQuote(prompt)]);
  rows.push(['other-answer', pick(pick(others).answers)]);
  return rows;
}

function rowsFor(prompt, refusals, others) {
  const toRow =
    (label) =>
    ([kind, output]) => ({ system: prompt.system, output, label, kind, id: prompt.id });
  return [...leaks(prompt).map(toRow(1)), ...benign(prompt, refusals, others).map(toRow(0))];
}

function main() {
  const prompts = FILES.flatMap((name) => readJson(`${name}.json`));
  const refusals = readJson('refusals.json');
  const sets = { dev: [], heldout: [] };
  for (const prompt of prompts) {
    const others = prompts.filter((other) => other.id !== prompt.id);
    sets[prompt.heldOut ? 'heldout' : 'dev'].push(...rowsFor(prompt, refusals, others));
  }
  mkdirSync(OUT, { recursive: true });
  for (const [name, rows] of Object.entries(sets)) {
    const file = new URL(`leak-${name}.jsonl`, OUT);
    writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const leaked = rows.filter((row) => row.label === 1).length;
    console.log(`${fileURLToPath(file)}: ${rows.length} rows, ${leaked} leaks`);
  }
}

main();

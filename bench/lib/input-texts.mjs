// Texts and detectors shared by the benchmarks of the input check that compare two builds.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { importBuilt } from './checkout.mjs';

/** The injection detector of a built checkout, with its shipped classifier. */
export async function detectorOf(checkout) {
  const { createInjectionDetector } = await importBuilt(checkout, 'guard/input/index.js');
  return createInjectionDetector();
}

/** Every row of the written sets in `folder` (bench/injection-written), in file order. */
export function writtenRows(folder) {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(path.join(folder, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

/**
 * The benign prompts of the written sets that hold characters outside ASCII (French, Russian,
 * Chinese, Arabic and more): text that takes the normalisation's Unicode steps.
 */
export function otherScriptPrompts(folder) {
  return writtenRows(folder)
    .filter((row) => row.label === 0 && /[^\t\n\r\u0020-\u007e]/.test(row.text))
    .map((row) => row.text);
}

/**
 * 64 messages of about `size` characters made of `from`, each starting further in; with
 * `tails`, message `i` ends in `tails[i % tails.length]` (an attack after benign filler).
 */
export function messages(size, from, tails = []) {
  const built = [];
  for (let variant = 0; variant < 64; variant++) {
    const tail = tails.length === 0 ? '' : tails[variant % tails.length];
    let text = '';
    for (let index = variant * 7; text.length + tail.length < size; index++) {
      text += `${from[index % from.length]} `;
    }
    built.push(`${text.slice(0, Math.max(0, size - tail.length - 1))} ${tail}`.trim());
  }
  return built;
}

/**
 * System-prompt leak detection, as a pure module.
 *
 * Each system prompt carries a canary line (`withCanary`). The model's answer is checked as it
 * streams (`LeakMonitor`) or whole (`detectLeak`) for two things:
 *
 * - the canary, also when spaced out, in another case, in full-width letters or with invisible
 *   characters between its letters;
 * - overlap with the prompt. Both texts are folded (NFKD without accents, lower case, markdown
 *   and punctuation as separators, function words such as "you are" / "I am" dropped, light
 *   stemming, a few synonym groups) into content words, and every three consecutive content
 *   words of the prompt form an order-free shingle. The answer's words are tried against them,
 *   tolerating up to two inserted words. The output is a leak when it covers 30% of the prompt's
 *   shingles, or 23 of them however long the prompt, or matches at 14 words in a row.
 *
 * What can reach the client before a cut: a possible canary prefix is never released. For
 * overlap the monitor holds back the last four content words and, once words start matching,
 * everything from the first matched word until the run of matches has gone four content words
 * without a match. A copied passage is therefore cut before any of its content words is
 * released; only function words in front of it go out. A loose paraphrase can break into runs
 * that close before the verdict, and those fragments are released: at most what stays under the
 * thresholds above. A held run gives way past `maxHoldChars` (2048 by default).
 *
 * Not detected: translations, encodings (base64, ROT13), heavy paraphrase and summaries, and
 * copies shorter than about 14 content words of a long prompt (one or two sentences). Prompts
 * under `minSystemWords` words are checked by canary only.
 */

/** Makes a short, unguessable canary for one prompt: `rk-canary-` and 12 base32 characters. */
export { createCanary } from './canary.js';

/** Puts the canary first in the prompt, on a line telling the model never to repeat it. */
export { withCanary } from './canary.js';

/** Checks a whole answer for the canary and for overlap with the system prompt. */
export { detectLeak } from './detect-leak.js';

/** Streaming leak check: releases text that is safe and stops at the first leak. */
export { LeakMonitor, type LeakStep } from './leak-monitor.js';

/** The verdict and the options of a leak check, with their defaults. */
export type { LeakOptions, LeakVerdict } from './leak-options.js';

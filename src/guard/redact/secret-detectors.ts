import { entropy } from './checksums.js';
import {
  ASSIGNMENT,
  AUTHORIZATION,
  gateStarts,
  keywordWindows,
  KEY_GATE_MAX,
  KEYWORD_REACH,
  PROSE,
  SHAPED,
  SPACED,
  TABLED,
} from './key-patterns.js';
import {
  LISTED,
  LOGIN_CALL,
  NAMED_KEY,
  OPEN_QUOTED,
  PROSE_FOR,
  PUBLIC_ENV,
  QUOTED,
} from './quoted-patterns.js';
import { eachMatchInRuns, eachMatchInWindows, toCandidate } from './regex-scan.js';
import { TOKEN_RULES, tokenPattern } from './token-rules.js';
import type { Candidate, Detector } from './types.js';
import {
  emphasised,
  SENTENCE_END,
  TOKEN_RUN,
  VALUE_MAX,
  VALUE_RUN,
  describesField,
  wholeCell,
  wholeValue,
} from './value-extent.js';

const TOKENS = tokenPattern();

// The shortest token any rule accepts (`a.myshopify.com`).
const SHORTEST_TOKEN = 14;

export const tokenDetector: Detector = {
  types: ['secret'],
  mayMatch: (profile) => profile.longestRun >= SHORTEST_TOKEN,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachMatchInRuns(TOKENS, { text, from, minLength: SHORTEST_TOKEN }, (match) => {
      const group = match.findIndex((value, index) => index > 0 && value !== undefined);
      const rule = TOKEN_RULES[group - 1]?.rule ?? 'token';
      found.push(toCandidate(match, { type: 'secret', rule, valid: true, after: 2 }));
    });
    return found;
  },
};

// A signature is up to 1,366 characters for an 8192-bit RSA key; a payload can carry many claims.
const JWT = /(?<![\w-])eyJ[\w-]{13,1500}\.eyJ[\w-]{13,5200}\.[\w-]{0,1400}(?![\w-])/g;
// A base64-encoded PEM block starts with the encoding of "-----BEGIN"; a 4096-bit RSA key's is
// about 4,400 characters.
const BASE64_PEM_START = 'LS0tLS1CRUdJTi';
const BASE64_PEM = new RegExp(
  String.raw`(?<![A-Za-z0-9+/])${BASE64_PEM_START}[A-Za-z0-9+/]{40,8000}={0,2}(?![A-Za-z0-9+/=])`,
  'g',
);
// scheme://user:password@host; the password may itself contain "@", so the last one wins.
const URL_CREDENTIALS =
  /(?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/[^\s:@/"'`<>()[\]{}|\\,;]{0,128}:([^\s/"'`<>()[\]{}|\\,;]{1,256})@[A-Za-z0-9[][^\s/?#"'`<>(){}|\\,;]{0,255}/g;

export const structuredSecretDetector: Detector = {
  types: ['secret'],
  // A JWT has two dots, a credential URL a colon, a base64 key block is long.
  mayMatch: (profile) =>
    profile.longestRun >= 8 &&
    (profile.dots >= 2 || profile.colons >= 1 || profile.longestRun >= 54),
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachMatchInRuns(JWT, { text, from, minLength: 30, needs: 'eyJ' }, (match) => {
      found.push(toCandidate(match, { type: 'secret', rule: 'jwt', valid: true, after: 2 }));
    });
    eachMatchInRuns(BASE64_PEM, { text, from, minLength: 54, needs: BASE64_PEM_START }, (match) => {
      found.push(
        toCandidate(match, { type: 'secret', rule: 'base64-private-key', valid: true, after: 2 }),
      );
    });
    eachMatchInRuns(URL_CREDENTIALS, { text, from, minLength: 8, needs: '://' }, (match) => {
      const password = match[1] ?? '';
      const valueStart = match.index + match[0].indexOf(`:${password}@`) + 1;
      const valid = !isPlaceholder(password);
      const verdict = { type: 'secret' as const, rule: 'url-credentials', valid, after: 2 };
      found.push(
        toCandidate(match, verdict, { start: valueStart, end: valueStart + password.length }),
      );
    });
    return found;
  },
};

const PLACEHOLDER_WORDS =
  /^(?:null|none|nil|true|false|undefined|required|optional|string|empty|changeme|redacted)$/i;

/**
 * Obvious stand-ins and references rather than values: `xxxx`, `<password>`, `${SECRET}`, a run
 * of one masking character. A low-entropy value such as `aaaa...`
 * is still a value: example credentials are written that way, and redacting one costs nothing.
 */
export function isPlaceholder(value: string): boolean {
  if (/^[$%&{<[#/]|^\*+$|^\.+$|^your|^\*{3}|^arn:|^https?:|:$/.test(value)) return true;
  // Mostly x's (`sk_live_` and twelve of them): a stand-in. A key with a few x's beside it (a
  // path's last part, a masked card in the next query parameter) is still a key.
  const masked = value.match(/x{4,}|X{4,}/g)?.join('').length ?? 0;
  if (masked > 0 && masked >= value.length / 2) return true;
  if (/^([-_0#*.])\1*$/.test(value)) return true;
  return PLACEHOLDER_WORDS.test(value);
}

interface ValueContext {
  quoted: boolean;
  nextChar: string;
  /** Whitespace alone separated key and value, so prose words must not count. */
  spaced: boolean;
  /**
   * The key was a label in prose or markdown (`the password is …`, `**Token**: …`): words
   * joined by hyphens or underscores (`case-sensitive`, `too_short`) are prose too.
   */
  wordy?: boolean;
}

// Words, each perhaps with digits after it (`base64-encoded`), joined by hyphens or underscores.
const JOINED_WORDS = /^[A-Za-z]+\d*(?:[-_][A-Za-z]+\d*)+$/;

function valueLooksReal(value: string, context: ValueContext): boolean {
  const { quoted, nextChar, spaced } = context;
  if (isPlaceholder(value)) return false;
  // The first word of a quoted phrase: the quoted forms judge the phrase as a whole.
  if (quoted && /\s/.test(nextChar)) return false;
  if (spaced && !quoted && /^[A-Za-z]+$/.test(value)) return false;
  if (context.wordy && !quoted && (JOINED_WORDS.test(value) || value.startsWith('*'))) return false;
  // `password = getPassword()` or `request.form[...]` is code, not a value.
  if (!quoted && /^[([.]/.test(nextChar)) return false;
  if (!quoted && /^[A-Za-z_]+(?:\.[A-Za-z_]+)+$/.test(value)) return false;
  return !isRoute(value);
}

/**
 * A quoted value: anything but a placeholder, a route, a phrase of three or more plain words (a
 * prompt such as `"Enter the new password"`), or code between two string literals
 * (`"Password: " + getPassword() + "`), which starts or ends with a space or an operator.
 */
function quotedLooksReal(value: string): boolean {
  if (/^[\s+.]|\s$/.test(value)) return false;
  const bare = value.replace(/^["'`]+|["'`]+$/g, '');
  if (bare === '' || isPlaceholder(bare) || isRoute(bare)) return false;
  return !/^[A-Za-z]+(?: [A-Za-z]+){2,}$/.test(bare);
}

/** A quoted value after a quoted name in a list: as above, and not a bare word (`"base64"`). */
function listedLooksReal(value: string): boolean {
  return quotedLooksReal(value) && value.length >= 8 && !/^[A-Za-z]+$/.test(value);
}

/** A route or file path (`cms/sites/passwords#edit`) is not a credential. */
function isRoute(value: string): boolean {
  return /^[A-Za-z_.-]+(?:\/[A-Za-z_.#:-]+)+$/.test(value);
}

/** Long, mixed letters and digits, and varied: a generated key rather than a word or a name. */
function isRandom(value: string): boolean {
  return /\d/.test(value) && /[A-Za-z]/.test(value) && entropy(value) >= 3;
}

/**
 * What each form's match or lookbehind always holds: a window whose searched text lacks it is
 * not searched with that form (the lookbehinds see nothing outside that text either).
 */
const NEEDS = {
  spaced: /-|passw/i,
  prose: /pass|secret|api key|access token/i,
  tabled: /pass[^|]{0,12}\|/i,
  shaped: /networkcredential\(|value|-u|unseal|account/i,
  quote: /["'`]/,
  listed: /,/,
  call: /\(/,
  proseFor: /pass(?:word|code|phrase)\s(?:for|of)\s/i,
  publicEnv: /(?:REACT_APP|VITE|NEXT_PUBLIC)_/,
  namedKey: /[._-]key/i,
  authorization: /Bearer|Basic|Token/,
};

const PLAIN_FORMS = [
  [ASSIGNMENT, 'secret-assignment', undefined],
  [SPACED, 'secret-argument', NEEDS.spaced],
  [PROSE, 'secret-in-prose', NEEDS.prose],
  [TABLED, 'secret-in-table', NEEDS.tabled],
  [SHAPED, 'credential-in-call', NEEDS.shaped],
] as const;

const QUOTED_FORMS = [
  [QUOTED, 'secret-assignment', quotedLooksReal, NEEDS.quote],
  [LISTED, 'credential-in-call', listedLooksReal, NEEDS.listed],
  [LOGIN_CALL, 'credential-in-call', quotedLooksReal, NEEDS.call],
  [PROSE_FOR, 'secret-in-prose', quotedLooksReal, NEEDS.proseFor],
  [PUBLIC_ENV, 'public-env-credential', (value: string) => !isPlaceholder(value), NEEDS.publicEnv],
  [NAMED_KEY, 'secret-assignment', isRandom, NEEDS.namedKey],
] as const;

function scanPlainForms(text: string, windows: [number, number][], found: Candidate[]): void {
  for (const [pattern, rule, needs] of PLAIN_FORMS) {
    eachMatchInWindows(pattern, { text, windows, needs }, (match) => {
      const candidate = wholeValue(
        toCandidate(match, { type: 'secret', rule, valid: false, after: 2 }),
        text,
        VALUE_RUN,
      );
      const quoted = match.slice(1).some((group) => group !== undefined && group !== '');
      // A value after whitespace alone (a flag's, prose's) must be more than a word; an
      // unquoted one in prose ends before the sentence's full stop.
      const prose = pattern === PROSE && !quoted;
      while (prose && SENTENCE_END.test(text[candidate.end - 1] ?? '')) candidate.end--;
      candidate.valueEnd = candidate.end;
      // Under a bold label the value is prose as often as not (`**Token**: Generated daily`).
      const wordy =
        prose ||
        pattern === TABLED ||
        (pattern === ASSIGNMENT && emphasised(text, candidate.start));
      const spaced = pattern === SPACED || wordy;
      // A full stop after prose ends the sentence, not a call or member expression. A quoted
      // table cell is judged by its first word, as an unquoted one is: no quoted form reads it.
      const next = text[candidate.end] ?? '';
      const nextChar = prose || (pattern === TABLED && next === ' ') ? '' : next;
      const context = { quoted, nextChar, spaced, wordy };
      candidate.valid = valueLooksReal(text.slice(candidate.start, candidate.end), context);
      // A table cell's value is the cell, spaces and all; its first word decides whether it
      // is one.
      if (pattern === TABLED && candidate.valid) {
        wholeCell(candidate, text, match[1] === '`');
        candidate.valid = !describesField(text.slice(candidate.start, candidate.end));
      }
      found.push(candidate);
      // A value that grew holds any key inside it: no match of this form starts there.
      return candidate.end;
    });
  }
}

function scanQuotedForms(text: string, windows: [number, number][], found: Candidate[]): void {
  eachMatchInWindows(OPEN_QUOTED, { text, windows, needs: NEEDS.quote }, (match) => {
    found.push(toCandidate(match, { type: 'secret', rule: 'open-quote', valid: false, after: 1 }));
  });
  for (const [pattern, rule, looksReal, needs] of QUOTED_FORMS) {
    eachMatchInWindows(pattern, { text, windows, needs }, (match) => {
      const valid = looksReal(match[0]);
      found.push(toCandidate(match, { type: 'secret', rule, valid, after: 2 }));
    });
  }
}

export const assignmentDetector: Detector = {
  types: ['secret'],
  mayMatch: (profile) => profile.keywordNear,
  scan: ({ text, from, gates }) => {
    const found: Candidate[] = [];
    const starts = gates ?? gateStarts(text, from - KEYWORD_REACH - KEY_GATE_MAX);
    const windows = keywordWindows(starts, from, text.length);
    scanPlainForms(text, windows, found);
    scanQuotedForms(text, windows, found);
    const authorization = { text, windows, needs: NEEDS.authorization };
    eachMatchInWindows(AUTHORIZATION, authorization, (match) => {
      const valid = /\d/.test(match[0]) && entropy(match[0]) > 2.5;
      const verdict = { type: 'secret' as const, rule: 'authorization-header', valid, after: 2 };
      found.push(wholeValue(toCandidate(match, verdict), text, TOKEN_RUN));
    });
    return found;
  },
};

/**
 * A lower bound on the end of the value that the plain assignment form (`ASSIGNMENT`, the first
 * of the assignment detector's forms) finds at exactly `from` when the detector scans `text` from
 * `from` with `gates`, which holds for `text` and for every longer text that `text` begins; -1
 * when that form finds no value there. `from` is where the scan starts, so nothing earlier is
 * reported; the text before `from` and the gates must stay as they are (more gates may come).
 *
 * Why the bound holds in every longer text, given that:
 * - The detector searches for this form window by window, and its first window starts at `from`
 *   when a gate lies before `from` whose reach passes it (`keywordWindows`); more gates and more
 *   text only merge more into that window, never move its start.
 * - The search of that window starts at `from`, so a match at `from` is the first one found. The
 *   pattern's lookbehind reads only the text before `from`, in a slice that starts at the same
 *   place however long the window is; its value, up to 200 characters, has no lookahead, so the
 *   characters it matched match again, and a longer text can only let it match more of them.
 * - `wholeValue` only moves the end on. What it reads lies before `from + VALUE_MAX`: when the
 *   text already reaches that far it decides as it did here, and its end is the bound.
 */
export function assignmentValueFloor(text: string, from: number, gates: readonly number[]): number {
  if (keywordWindows(gates, from, text.length)[0]?.[0] !== from) return -1;
  let floor = -1;
  // A window of one character, searched as the detector searches its first one: only a match at
  // `from` is reported.
  eachMatchInWindows(ASSIGNMENT, { text, windows: [[from, from + 1]] }, (match) => {
    const verdict = { type: 'secret' as const, rule: 'secret-assignment', valid: false, after: 2 };
    const candidate = toCandidate(match, verdict);
    floor =
      from + VALUE_MAX <= text.length ? wholeValue(candidate, text, VALUE_RUN).end : candidate.end;
  });
  return floor;
}

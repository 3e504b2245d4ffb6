/**
 * Patterns that read a credential's key before its value (`password = ...`, `Bearer ...`). The
 * key is matched by a lookbehind so the finding, and what a stream must hold, is the value
 * alone. `KEY_GATE` matches the key parts forwards; a value can only start within
 * {@link KEYWORD_REACH} characters after a gate match, which limits where the lookbehinds run.
 */
const VALUE = String.raw`[^\s"'\`,;<>()[\]{}|\\]`;
export const KEYWORD = String.raw`(?:pass(?:word|wd|wort|phrase|code|(?![a-z]))|pwd|secret|token|api[_-]?key|apikey|(?:secret|private|device|access|app|master|encryption|signing|license|preshared|account|client|consumer|auth)[_-]?key|credentials?|crumb|sonar[._]?login|[_-]pat|reporter[_-]?id|postmark)`;
// An optional opening quote, possibly escaped (\" inside a string literal).
const OPEN_QUOTE = String.raw`(\\?["'\`])?`;
export const IDENTIFIER = String.raw`[A-Za-z0-9_.-]{0,40}${KEYWORD}[A-Za-z0-9_.-]{0,30}`;
/**
 * Markdown bold or italics around a label, as model answers write credentials:
 * `**Password:** …`, `**Password**: …`. (Underscores are name characters already.)
 */
export const EMPHASIS = String.raw`\*{0,2}`;

/**
 * `pattern` behind a one-character lookbehind that each of its matches meets already: the
 * character before a match is one of `before`, as the form's own lookbehind ends there (each
 * form says why). The matches are the same. The engine tries the short test first at every
 * position, and in ordinary text most positions fail it there rather than after reading back
 * through the form's own lookbehind.
 */
export function after(before: string, pattern: string): string {
  return String.raw`(?<=[${before}])(?:${pattern})`;
}

/**
 * `key = value` where the key names a credential. The key is matched by a lookbehind so the
 * finding (and what a stream must hold) is the value alone. The value follows its opening quote,
 * a space, the emphasis or the operator's last character.
 */
export const ASSIGNMENT = new RegExp(
  after(
    String.raw`\s"'\`*=>:`,
    String.raw`(?<=${IDENTIFIER}${EMPHASIS}\\?["']?\s{0,16}(?:=>|:=|[!=]==?|[:=])${EMPHASIS}\s{0,16}${OPEN_QUOTE})${VALUE}{6,200}`,
  ),
  'gi',
);
/** `--api-key VALUE`, `-Password VALUE`, netrc's `password VALUE`: whitespace as separator. */
export const SPACED = new RegExp(
  String.raw`(?<=(?:(?:^|\s)--?${IDENTIFIER}|\b(?:password|passwd))\s{1,4}${OPEN_QUOTE})${VALUE}{6,200}`,
  'gi',
);
/**
 * Prose such as `the password is 'hunter22'`; after `password is` (`is now`, `was`, `will be`,
 * `to`) and a two-word label (`**API Key:**`) also an unquoted value (`your temporary password
 * is Xk9#fT2q.`), which may not end in the sentence's punctuation and, being prose, is judged
 * as a spaced value (a plain word is not one).
 */
// The last character of an unquoted value in prose: not the sentence's punctuation.
const PROSE_END = String.raw`[^\s"'\`,;<>()[\]{}|\\.!?:]`;
// The first form's value follows a quote; the others' a space.
export const PROSE = new RegExp(
  after(
    String.raw`\s"'\``,
    [
      String.raw`(?<=\b(?:password|passcode|passphrase|secret(?: key)?|api key|access token)(?:\s{1,3}(?:is|was|=|:)|${EMPHASIS}\s{0,3}[=:])${EMPHASIS}\s{1,3}(["'\`]))${VALUE}{5,200}`,
      String.raw`(?<=\b(?:password|passcode|passphrase)\s{1,3}(?:is(?: now)?|was|will be|to):?\s{1,3})(?!["'\`])${VALUE}{5,199}${PROSE_END}`,
      String.raw`(?<=\b(?:secret key|api key|access token)${EMPHASIS}\s{0,3}:${EMPHASIS}\s{1,3})(?!["'\`*])${VALUE}{5,199}${PROSE_END}`,
    ].join('|'),
  ),
  'gi',
);
/**
 * A row of a markdown table that pairs a label with its value: `| Password | Xk9#fT2q |`,
 * `|**Passphrase**|\`Xk9#fT2q\`|`. As in prose, a plain word is not a value
 * (`| password | string |` documents a field). The pattern reads the cell's first word, which
 * decides; a valid value then runs to the end of the cell (`wholeCell` in `value-extent.ts`).
 * The label is a cell of its own, opening the row or after a `|`, with up to three words before
 * it (`| Admin Password |`): `cat /etc/passwd | base64` is a pipeline, not a row.
 */
const LABEL_WORDS = String.raw`(?:[A-Za-z][\w.-]{0,20}[ \t]){0,3}`;
export const TABLED = new RegExp(
  String.raw`(?<=(?:^|[\n|])[ \t]{0,3}${EMPHASIS}${LABEL_WORDS}(?:password|passwd|passcode|passphrase)${EMPHASIS}\s{0,3}\|\s{0,3}(\`?))(?![*-])${VALUE}{5,200}`,
  'gi',
);
/**
 * Credentials in well-known call and file shapes: `NetworkCredential("user", "pass")`, XML
 * `<add key="...Password" value="...">`, `curl -u user:pass`, Vault unseal keys, AWS account ids.
 * The value follows a quote (the call, the XML), a colon (`-u`), a space (the unseal key), or
 * for the account id a quote, a backslash, a space or its operator.
 */
export const SHAPED = new RegExp(
  after(
    String.raw`\s"':=\\`,
    [
      String.raw`(?<=NetworkCredential\(\s{0,4}"[^"\n]{0,100}",\s{0,4}("))${VALUE}{4,200}`,
      String.raw`(?<=\bkey\s?=\s?"[^"\n]{0,60}(?:password|secret|token|apikey)[^"\n]{0,30}"\s{1,4}value\s?=\s?("))${VALUE}{4,200}`,
      String.raw`(?<=(?:^|\s)(?:-u|--user)\s{1,4}["']?[^\s:"']{1,100}:())${VALUE}{6,200}`,
      String.raw`(?<=\bunseal(?: key \d{1,2}:)?\s{1,4}())[A-Za-z0-9+/]{43,44}={0,2}`,
      String.raw`(?<=\baws_?account_?id\\?["']?\s{0,4}[:=]\s{0,4}\\?(["']?))\d{12}(?!\d)`,
    ].join('|'),
  ),
  'gi',
);
/** HTTP Authorization values: `Bearer <token>`, `Basic <base64>`. */
export const AUTHORIZATION = /(?<=\b(?:Bearer|Basic|Token)\s{1,3})[A-Za-z0-9._~+/-]{8,2000}={0,2}/g;

const GATE_VALUE = String.raw`[^\s"'\`,;<>()[\]{}|\\]`;

const STEMS = String.raw`(?:pass|pwd|secret|token|key|crumb|credential|sonar|pat|reporter|postmark|user|login)`;

// `api_key = `: the name and operator of an assignment, whose value starts right after it.
const ASSIGNMENT_GATE = String.raw`${STEMS}[A-Za-z0-9_.-]{0,40}${EMPHASIS}\\?["']?\s{0,16}(?:=>|:=|[!=]==?|[:=])`;

const OTHER_GATES = [
  String.raw`-[A-Za-z0-9_.-]{0,40}${STEMS}`,
  String.raw`(?:password|passwd)\s{1,4}(?:\\?["'\`])?${GATE_VALUE}{6}`,
  String.raw`(?:password|passcode|passphrase|secret(?: key)?|api key|access token)\s{1,3}(?:is|was|=|:)`,
  String.raw`(?:password|passcode|passphrase)\s{1,3}(?:will be|to)\s`,
  // A table row: `| Password | …`.
  String.raw`(?:password|passwd|passcode|passphrase)${EMPHASIS}\s{0,3}\|`,
  // A two-word label in markdown: `**API Key:**`, `**Secret Key**:`.
  String.raw`(?:secret key|api key|access token)${EMPHASIS}\s{0,3}[=:]`,
  String.raw`NetworkCredential\(`,
  // The assignment gate covers `api_key="`; only a whole word `key` starts the XML form.
  String.raw`\bkey\s?=\s?"`,
  String.raw`(?:-u|--user)\s`,
  String.raw`unseal`,
  String.raw`aws_?account_?id`,
  // The forms of `quoted-patterns.ts`: a quoted name and value in a list, a login call, prose.
  String.raw`${STEMS}[A-Za-z0-9_.-]{0,30}["']\s{0,4},\s{0,4}["']`,
  String.raw`(?:login|auth[a-z]{0,12})\(`,
  String.raw`pass(?:word|code|phrase)\s(?:for|of)\s`,
];

/**
 * Forward forms of the key parts above, each starting at or after its credential word, so the
 * value starts within {@link KEYWORD_REACH} characters after a gate match starts.
 */
export const KEY_GATE = new RegExp([ASSIGNMENT_GATE, ...OTHER_GATES].join('|'), 'gi');

/**
 * The gate of {@link AUTHORIZATION}, case-sensitive like it: prose such as `token 12` is not a
 * header. Only a value with a digit is valid, and real tokens have one early.
 */
const AUTHORIZATION_GATE = /(?:Bearer|Basic|Token)\s{1,3}[A-Za-z._~+/-]{0,40}\d/g;

/** No pattern above puts its value further than this after the start of a gate match. */
export const KEYWORD_REACH = 150;

const GATES_AT = [new RegExp(KEY_GATE.source, 'iy'), new RegExp(AUTHORIZATION_GATE.source, 'y')];

/** Whether a gate match starts at `start`. */
function gateAt(text: string, start: number): boolean {
  for (const gate of GATES_AT) {
    gate.lastIndex = start;
    if (gate.test(text)) return true;
  }
  return false;
}

const ASSIGNMENT_GATE_AT = new RegExp(ASSIGNMENT_GATE, 'iy');
const OTHER_GATES_AT = [
  new RegExp(OTHER_GATES.join('|'), 'iy'),
  new RegExp(AUTHORIZATION_GATE.source, 'y'),
];

/**
 * Every value keyed by an assignment gate alone (`ASSIGNMENT`, `QUOTED`, `NAMED_KEY`,
 * `PUBLIC_ENV`, prose with `=` or `:`) starts within sixteen spaces, a backslash and a quote
 * after its operator; the rest allows for an operator that later characters lengthen (`==`).
 */
const ASSIGNED_VALUE_REACH = 24;

/**
 * The last stream position, as an index into `text`, where a value keyed by the gate starting
 * at `start` may start: close after the operator for an assignment gate, the full reach for the
 * forms whose key and value lie further apart (lists, calls, prose, flags, headers).
 */
export function gateReach(text: string, start: number): number {
  const full = start + KEYWORD_REACH + KEY_GATE_MAX;
  for (const gate of OTHER_GATES_AT) {
    gate.lastIndex = start;
    if (gate.test(text)) return full;
  }
  ASSIGNMENT_GATE_AT.lastIndex = start;
  if (!ASSIGNMENT_GATE_AT.test(text)) return full;
  return Math.min(full, ASSIGNMENT_GATE_AT.lastIndex + ASSIGNED_VALUE_REACH);
}

/** Whether lower-case `word` is at `at` in `text`, ignoring ASCII case. */
function wordAt(text: string, at: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    if ((text.charCodeAt(at + index) | 32) !== (word.charCodeAt(index) | 32)) return false;
  }
  return true;
}

/**
 * Gate starts around a credential word ending at `stemEnd`: every gate form starts at its word,
 * 3, 4 or 7 characters before it (`aws_account`, `api key`, `access token`,
 * `NetworkCredential`), or at a dash up to 41 characters before it (`--api-key`).
 */
export function gatesAround(text: string, stemEnd: number, words: readonly string[]): number[] {
  const found: number[] = [];
  for (const word of words) {
    const stem = stemEnd - word.length + 1;
    if (stem < 0 || !wordAt(text, stem, word)) continue;
    const starts = [stem, stem - 3, stem - 4, stem - 7];
    for (let at = Math.max(0, stem - 41); at < stem; at++)
      if (text.charCodeAt(at) === 45) starts.push(at);
    for (const start of starts) if (start >= 0 && gateAt(text, start)) found.push(start);
  }
  return found;
}

/** The longest gate match; a stream rescans this far back so a gate split by a piece is found. */
export const KEY_GATE_MAX = 80;

/** Starts of `Authorization` gates from `at` on (they end in a digit, not a key character). */
export function authorizationGates(text: string, at: number): number[] {
  const starts: number[] = [];
  AUTHORIZATION_GATE.lastIndex = at;
  for (
    let match = AUTHORIZATION_GATE.exec(text);
    match !== null;
    match = AUTHORIZATION_GATE.exec(text)
  )
    starts.push(match.index);
  return starts;
}

/** Gate match starts from `at` on. */
export function gateStarts(text: string, at: number): number[] {
  const starts: number[] = [];
  for (const gate of [KEY_GATE, AUTHORIZATION_GATE]) {
    gate.lastIndex = Math.max(0, at);
    for (let match = gate.exec(text); match !== null; match = gate.exec(text)) {
      starts.push(match.index);
    }
  }
  return starts.sort((left, right) => left - right);
}

/**
 * Merged ranges `[start, end)`, at or after `from`, where a key-before-value match may start:
 * after each gate start, up to KEYWORD_REACH plus KEY_GATE_MAX (a gate overlapped by an earlier
 * one is not reported, but lies within KEY_GATE_MAX of it).
 */
export function keywordWindows(
  starts: readonly number[],
  from: number,
  length: number,
): [number, number][] {
  const windows: [number, number][] = [];
  for (const gate of starts) {
    const start = Math.max(from, gate + 1);
    const end = Math.min(length, gate + KEYWORD_REACH + KEY_GATE_MAX + 1);
    const last = windows.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else if (start < end) windows.push([start, end]);
  }
  return windows;
}

import { after, EMPHASIS, IDENTIFIER } from './key-patterns.js';

/**
 * Credential values in quotes, which may hold spaces and punctuation (`password = 'open
 * sesame'`), and a few named shapes the plain assignment patterns miss. As in `key-patterns.ts`
 * the key is read by a lookbehind, so the finding is the value alone; each form has a gate in
 * `KEY_GATE`.
 */

/** A quoted body up to its closing quote on the same line; an escaped quote does not close it. */
function body(quote: string, least: number): string {
  return String.raw`(?:[^${quote}\n\\]|\\[^${quote}\n]){${least},200}`;
}

function eachQuote(build: (quote: string) => string): string {
  return ['"', "'", '`'].map(build).join('|');
}

/**
 * The alternatives of `eachQuote(build)` for forms whose lookbehind ends in the opening quote:
 * the value follows a quote (see `after`).
 */
function afterQuote(build: (quote: string) => string): string {
  return after(String.raw`"'\``, eachQuote(build));
}

const OPERATOR = String.raw`${EMPHASIS}\\?["']?\s{0,16}(?:=>|:=|[!=]==?|[:=])${EMPHASIS}\s{0,16}`;

const ASSIGNED = (quote: string): string => String.raw`${IDENTIFIER}${OPERATOR}\\?${quote}`;
const LISTING = (quote: string): string => String.raw`${IDENTIFIER}["']\s{0,4},\s{0,4}${quote}`;
const CALLED = (quote: string): string =>
  String.raw`\b(?:login|auth[a-z]{0,12})\(\s{0,4}["'][^"'\n]{1,100}["']\s{0,4},\s{0,4}${quote}`;
const NAMED = (quote: string): string =>
  String.raw`\bpass(?:word|code|phrase)\s(?:for|of)\s[^.\n]{1,60}?\s(?:is|was)\s{1,3}${quote}`;

/** `password = "open sesame"`, `jwtsecret: '7D}/v...'`: the whole quoted value. */
export const QUOTED = new RegExp(
  afterQuote((quote) => String.raw`(?<=${ASSIGNED(quote)})${body(quote, 4)}(?=\\?${quote})`),
  'gi',
);

/**
 * A quoted credential name followed by its quoted value in a list of arguments:
 * `buildConfigField("String", "API_KEY", "...")`, `property 'sonar.login', '...'`. The value may
 * run to the end of the text, as in a cut-off line.
 */
export const LISTED = new RegExp(
  afterQuote((quote) => String.raw`(?<=${LISTING(quote)})${body(quote, 4)}(?=${quote}|$)`),
  'gi',
);

/** The password argument of a login call: `login('user', 'pass')`, `authenticate("u", "p")`. */
export const LOGIN_CALL = new RegExp(
  afterQuote((quote) => String.raw`(?<=${CALLED(quote)})${body(quote, 3)}(?=${quote})`),
  'gi',
);

/** Prose naming whose password it is: `the password for user 'postgres' is 'admin'`. */
export const PROSE_FOR = new RegExp(
  afterQuote((quote) => String.raw`(?<=${NAMED(quote)})${body(quote, 3)}(?=${quote})`),
  'gi',
);

/**
 * A value of the forms above whose closing quote has not come yet: never a finding, but while
 * it reaches the end of the text a stream must hold it, as the value may yet hold spaces. It
 * gives up at a line end or after 200 characters, as the forms do.
 */
export const OPEN_QUOTED = new RegExp(
  afterQuote(
    (quote) =>
      String.raw`(?<=${ASSIGNED(quote)}|${LISTING(quote)}|${CALLED(quote)}|${NAMED(quote)})(?=.)${body(quote, 0)}\\?$`,
  ),
  'gi',
);

/**
 * Credentials in variables that front-end build tools copy into the public bundle
 * (`REACT_APP_`, `VITE_`, `NEXT_PUBLIC_`): even a user name there is published with the site.
 * The value follows its quote, a space or the `=`.
 */
export const PUBLIC_ENV = new RegExp(
  after(
    String.raw`\s="'`,
    String.raw`(?<=\b(?:REACT_APP|VITE|NEXT_PUBLIC)_[A-Z0-9_]{0,40}(?:USER(?:NAME)?|LOGIN|PASS(?:WORD)?)\s{0,4}=\s{0,4}["']?)[^\s"'#]{3,100}`,
  ),
  'g',
);

/**
 * Any name ending in `.key`, `_key` or `-key` (`config.facebook.key`): such names are often not
 * credentials (`cache_key`), so only a long value that looks random counts (see `isRandom`).
 * The value follows its quote, a backslash, a space, the emphasis or the operator's last
 * character.
 */
export const NAMED_KEY = new RegExp(
  after(
    String.raw`\s"'\`\\*=>:`,
    String.raw`(?<=[A-Za-z0-9_.-]{0,40}[._-]key${OPERATOR}\\?["'\`]?)[A-Za-z0-9+/=_-]{16,200}`,
  ),
  'gi',
);

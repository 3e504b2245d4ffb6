import { ibanLength, ibanValid, luhnValid, ssnValid } from './checksums.js';
import { SEPARATOR_CLASS } from './group-separators.js';
import { eachMatch, textBefore, toCandidate } from './regex-scan.js';
import type { Candidate, Detector } from './types.js';

// Card-shaped numbers that fail the Luhn check are left alone: issued numbers always pass it,
// and it rejects nine in ten accidental digit runs (order numbers, ids).
// 13-19 digits, either in one run or in the groupings card issuers print (4-4-4-4[-3],
// Amex 4-6-5, Diners 4-6-4), with one consistent separator between groups: one or two spaces,
// a tab, a no-break, figure, thin or narrow no-break space, or a hyphen or dash (what word
// processors and chat front ends put between groups). A card may follow a short number
// (`qty 2 4111 …`) and be followed by a short one, as a card with its expiry date or code is
// (`4111 1111 1111 1111 08/27`); but a group of four before it or after it, split the same way,
// makes it part of a longer run of groups (a list of years, an account number, a table column),
// which is left alone: read from each group, such a run would start a candidate at every
// group, about one in ten of them Luhn-valid, each overlapping the next.
const SEPARATOR = ` {1,2}|${SEPARATOR_CLASS}`;
const CARD = new RegExp(
  [
    String.raw`(?<![\w.-]|\d{4}(?:${SEPARATOR}))(?:\d{13,19}`,
    String.raw`\d{4}(${SEPARATOR})\d{4}\1\d{4}\1\d{4}\1\d{1,3}`,
    String.raw`\d{4}(${SEPARATOR})\d{4}\2\d{4}\2\d{1,7}(?!\2\d{4}(?!\d))`,
    String.raw`\d{4}(${SEPARATOR})\d{6}\3\d{4,5}(?!\3\d{4}(?!\d)))(?!\w)`,
  ].join('|'),
  'g',
);
const NOT_DIGITS = /\D/g;

// Maestro numbers can be 12 digits long; a 12-digit run is a card only when named as one.
const CARD_SHORT = /(?<![\w.-])\d{12}(?!\w)/g;
const CARD_CONTEXT = /\b(?:card|cc|credit|debit|maestro|visa|mastercard|amex|pan)\b/;

/**
 * The card a match of CARD holds: all its digits, or, for five groups that fail the check, its
 * first four (a 16-digit card followed by a short group: an expiry month, a security code).
 */
function cardIn(match: RegExpExecArray): Candidate {
  const digits = match[0].replace(NOT_DIGITS, '');
  const verdict = { type: 'card' as const, rule: 'luhn-card', valid: true, after: 2 };
  if (digits.length >= 13 && luhnValid(digits)) return toCandidate(match, verdict);
  const separator = match[1];
  if (separator !== undefined && luhnValid(digits.slice(0, 16))) {
    const end = match.index + 16 + 3 * separator.length;
    return toCandidate(match, verdict, { start: match.index, end });
  }
  return toCandidate(match, { ...verdict, valid: false });
}

export const cardDetector: Detector = {
  types: ['card'],
  mayMatch: (profile) => profile.digits >= 12 && profile.digitGroups,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachMatch(CARD, text, from, (match) => found.push(cardIn(match)));
    eachMatch(CARD_SHORT, text, from, (match) => {
      const valid = luhnValid(match[0]) && CARD_CONTEXT.test(textBefore(text, match.index, 40));
      found.push(
        toCandidate(match, { type: 'card', rule: 'luhn-card-in-context', valid, after: 2 }),
      );
    });
    return found;
  },
};

// Grouped by a space (or a no-break, figure, thin or narrow no-break space), a hyphen or a dash,
// the same one twice. With no checksum behind the shape, ordinary triples of numbers must not
// pass: none right after a digit and a separator, none followed by more digits in the same
// grouping; only a dashed SSN may be followed by a number after a space (`SSN 219-09-9999 1990`).
const SSN_GROUPED =
  /(?<![\w\u2010-\u2013-]|\d[ \u00a0\u2007\u2009\u202f\u2010-\u2013-])(\d{3})([ \u00a0\u2007\u2009\u202f\u2010-\u2013-])(\d{2})\2(\d{4})(?!\w|[\u2010-\u2013-]\d|\2\d)/g;
const SSN_PLAIN = /(?<![\w-])(\d{3})(\d{2})(\d{4})(?![\w-])/g;
// An undashed 9-digit run is only an SSN when the words just before say so.
const SSN_CONTEXT = /\b(?:ssn|ssns|social security|soc\.? sec|ss#|ss no|taxpayer id|tin)\b/;

export const ssnDetector: Detector = {
  types: ['ssn'],
  mayMatch: (profile) => profile.digits >= 9 && profile.digitGroups,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachMatch(SSN_GROUPED, text, from, (match) => {
      const valid = ssnValid(match[1] ?? '', match[3] ?? '', match[4] ?? '');
      found.push(toCandidate(match, { type: 'ssn', rule: 'ssn', valid, after: 2 }));
    });
    eachMatch(SSN_PLAIN, text, from, (match) => {
      const valid =
        ssnValid(match[1] ?? '', match[2] ?? '', match[3] ?? '') &&
        SSN_CONTEXT.test(textBefore(text, match.index, 40));
      found.push(toCandidate(match, { type: 'ssn', rule: 'ssn-in-context', valid, after: 2 }));
    });
    return found;
  },
};

// Country code, check digits, then the account part compact or in groups of four, split by a
// space (a no-break, figure, thin or narrow no-break one too) or a hyphen, the same one
// throughout (the first split names it; with none, the backreference matches nothing). Not
// after a hyphen: a UUID's groups (`4485-be68-8d27…`) pass the checksum one time in 8,500.
const IBAN_SEPARATORS = ' \u00a0\u2007\u2009\u202f-';
const IBAN = new RegExp(
  String.raw`(?<![A-Za-z0-9-])[A-Za-z]{2}\d{2}([${IBAN_SEPARATORS}]?)[A-Za-z0-9]{4}(?:\1[A-Za-z0-9]{4}){1,6}(?:\1[A-Za-z0-9]{1,3})?(?![A-Za-z0-9])`,
  'g',
);
const IBAN_SEPARATOR = new RegExp(`[${IBAN_SEPARATORS}]`, 'g');

function isIbanSeparator(char: string | undefined): boolean {
  return char !== undefined && char !== '' && IBAN_SEPARATORS.includes(char);
}

/** The index just past the first `length` letters and digits of `text` from `start`. */
function endAfterAlphanumerics(text: string, start: number, length: number): number {
  let seen = 0;
  let index = start;
  while (seen < length && index < text.length) {
    if (!isIbanSeparator(text[index])) seen++;
    index++;
  }
  return index;
}

function isLetterCode(code: number): boolean {
  const lower = code | 32;
  return lower >= 97 && lower <= 122;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Whether two ASCII letters and two digits (an IBAN's start) occur in `text`: the test behind the
 * `ibanStart` of a text profile, which `profile.ts` and `held-reading.ts` answer while counting.
 */
export function hasIbanStart(text: string): boolean {
  for (let index = 2; index + 1 < text.length; index++) {
    if (!isDigitCode(text.charCodeAt(index + 1))) {
      index++;
      continue;
    }
    if (!isDigitCode(text.charCodeAt(index))) continue;
    if (isLetterCode(text.charCodeAt(index - 1)) && isLetterCode(text.charCodeAt(index - 2)))
      return true;
  }
  return false;
}

export const ibanDetector: Detector = {
  types: ['iban'],
  mayMatch: (profile) => profile.digits >= 2 && profile.ibanStart,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachMatch(IBAN, text, from, (match) => {
      // The pattern may run into a following word of four letters; the country's length decides.
      const length = ibanLength(match[0].slice(0, 2)) ?? 0;
      const valueEnd = endAfterAlphanumerics(text, match.index, length);
      const compact = text.slice(match.index, valueEnd).replace(IBAN_SEPARATOR, '');
      const boundary =
        valueEnd === match.index + match[0].length || isIbanSeparator(text[valueEnd]);
      const valid = length > 0 && boundary && ibanValid(compact);
      const verdict = { type: 'iban' as const, rule: 'iban', valid, after: 6 };
      found.push(toCandidate(match, verdict, { start: match.index, end: valueEnd }));
    });
    return found;
  },
};

// Letters and digits of any script (RFC 6531 addresses, IDN domains), with their combining marks.
const ALNUM = String.raw`\p{L}\p{N}\p{M}`;
export const EMAIL = new RegExp(
  String.raw`(?<![${ALNUM}_.%+-])[\p{L}\p{N}][${ALNUM}._%+-]{0,63}@(?:[\p{L}\p{N}](?:[${ALNUM}-]{0,61}[${ALNUM}])?\.){1,8}\p{L}[\p{L}\p{M}]{1,23}(?![${ALNUM}_-]|\.[\p{L}\p{N}])`,
  'gu',
);

// `scheme://user:password@host` looks like an email from the password on; it is a credential.
const INSIDE_URL_AUTHORITY = /[a-z][a-z0-9+.-]*:\/\/[^\s/@]*:[^\s/@]*$/;

const URL_AUTHORITY_REACH = 140;

/** Whether the address at `index` is the password and host of a URL's authority. */
function insideUrlAuthority(text: string, index: number): boolean {
  // The pattern holds `://`; without one in reach the lowered copy is not worth making.
  const scheme = text.lastIndexOf('://', index);
  if (scheme === -1 || scheme < index - URL_AUTHORITY_REACH) return false;
  return INSIDE_URL_AUTHORITY.test(textBefore(text, index, URL_AUTHORITY_REACH));
}

export const emailDetector: Detector = {
  types: ['email'],
  mayMatch: (profile) => profile.at,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachEmail(text, from, (match) => {
      const valid = !insideUrlAuthority(text, match.index);
      found.push(toCandidate(match, { type: 'email', rule: 'email', valid, after: 2 }));
    });
    return found;
  },
};

// The local part is at most 64 characters, each at most two UTF-16 code units, and holds no `@`.
const LOCAL_MAX = 128;

/**
 * The matches of EMAIL from `from` on, as `eachMatch` finds them, with the search started at
 * most LOCAL_MAX characters before the next `@` and stopped after the last one: a match's `@` is
 * the first after its start, so no match begins elsewhere.
 */
function eachEmail(text: string, from: number, visit: (match: RegExpExecArray) => void): void {
  let resume = from;
  for (let at = text.indexOf('@', from); at !== -1; at = text.indexOf('@', resume)) {
    EMAIL.lastIndex = Math.max(resume, at - LOCAL_MAX);
    const match = EMAIL.exec(text);
    if (match === null) return;
    visit(match);
    resume = EMAIL.lastIndex;
  }
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
// Not inside a longer dotted number, nor after the hex group and colon of an IPv6 address
// (which matches whole); after a label and a colon (`addr:10.0.0.1`, `client:…`) it stands alone.
const IPV4 = new RegExp(
  `(?<![\\w.]|(?:^|\\W)[0-9A-Fa-f]{0,4}:)(?:${OCTET}\\.){3}${OCTET}(?![\\w]|\\.\\d)`,
  'g',
);
const IPV6 =
  /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|:|(?:\d{1,3}\.){3}\d{1,3})(?![\w:.])/g;

/** Full or compressed IPv6 (RFC 4291 text forms); times like 12:30:45 have too few groups. */
export function ipv6Valid(value: string): boolean {
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  const last = groups.at(-1) ?? '';
  const ipv4Tail = last.includes('.');
  if (ipv4Tail && !IPV4_EXACT.test(last)) return false;
  const hexGroups = ipv4Tail ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  const width = hexGroups.length + (ipv4Tail ? 2 : 0);
  const digits = hexGroups.join('').length;
  if (halves.length === 1) return width === 8;
  // A dotted quad at the end is evidence enough (`::ffff:192.0.2.128`, an IPv4-mapped address).
  if (ipv4Tail) return width <= 7 && hexGroups.length >= 1;
  return width <= 7 && hexGroups.length >= 2 && digits >= 4;
}

const IPV4_EXACT = new RegExp(`^(?:${OCTET}\\.){3}${OCTET}$`);

export const ipDetector: Detector = {
  types: ['ip'],
  mayMatch: (profile) => (profile.digits >= 4 && profile.dots >= 3) || profile.colons >= 2,
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    eachMatch(IPV4, text, from, (match) => {
      found.push(toCandidate(match, { type: 'ip', rule: 'ipv4', valid: true, after: 2 }));
    });
    eachMatch(IPV6, text, from, (match) => {
      const valid = ipv6Valid(match[0]);
      found.push(toCandidate(match, { type: 'ip', rule: 'ipv6', valid, after: 2 }));
    });
    return found;
  },
};

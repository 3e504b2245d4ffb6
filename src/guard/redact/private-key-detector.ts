import type { Candidate, Detector } from './types.js';

// RFC 7468 text encoding: a labelled BEGIN line, base64, and an END line. Only private-key labels
// count (RSA, EC, DSA, OPENSSH, ENCRYPTED, PGP ... BLOCK); certificates and public keys are public.
const HEADER = /-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----/g;
const FOOTER = /-----END [A-Z0-9 ]{0,60}-----/g;

/** The longest END line, so a search that resumes this far back cannot miss one split by a cut. */
export const FOOTER_MAX_LENGTH = 74;

/** End index of the first END line at or after `from`, or -1. */
export function findFooterEnd(text: string, from: number): number {
  FOOTER.lastIndex = from;
  const match = FOOTER.exec(text);
  return match === null ? -1 : match.index + match[0].length;
}

/**
 * A private key block runs from its BEGIN line to the next END line. Without an END line it
 * runs to the end of the text: everything after an unterminated header is treated as key
 * material, because failing open would print the key.
 */
export const privateKeyDetector: Detector = {
  types: ['secret'],
  mayMatch: (profile) => profile.fiveDashes && profile.held.includes('-----BEGIN'),
  scan: ({ text, from }) => {
    const found: Candidate[] = [];
    HEADER.lastIndex = from;
    for (let match = HEADER.exec(text); match !== null; match = HEADER.exec(text)) {
      const start = match.index;
      const footerEnd = findFooterEnd(text, start + match[0].length);
      const end = footerEnd === -1 ? text.length : footerEnd;
      found.push({
        start,
        end,
        valueStart: start,
        valueEnd: end,
        type: 'secret',
        rule: 'private-key',
        label: 'secret',
        valid: true,
        after: 0,
        open: footerEnd === -1,
      });
      if (footerEnd === -1) break;
      HEADER.lastIndex = end;
    }
    return found;
  },
};

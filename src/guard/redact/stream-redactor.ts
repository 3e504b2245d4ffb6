import { GateTracker, mayHaveAuthorization } from './gate-tracker.js';
import { findFooterEnd, FOOTER_MAX_LENGTH } from './private-key-detector.js';
import { isBreak, profileOf } from './profile.js';
import { applyFindings, defaultReplacement } from './redact-text.js';
import { settleHold } from './release.js';
import { anyMayMatch, planFor, resolveFindings, scanCandidates, type ScanPlan } from './scan.js';
import {
  isPlainToken,
  marksOf,
  NO_MARKS,
  proseAfter,
  PROSE_MARKED,
  PROSE_NUMBERED,
  PROSE_PLAIN,
  signalBefore,
  type Marks,
} from './signal-scanner.js';
import { holdStart } from './tail.js';
import type { Candidate, Finding, RedactionOptions } from './types.js';

/** Raw text kept before the held part, for patterns that look back (`password = `). */
const CONTEXT = 160;
/** The marks of any text with a digit. */
const DIGIT_MARKS: Marks = { signal: true, numeric: true };
/** An open private key block is held up to this size before it is replaced unseen. */
export const HOLD_LIMIT = 16 * 1024;

/**
 * Redacts a text that arrives in pieces. After each piece it releases everything that can no
 * longer become part of a match and holds only the tail that still could, so the joined output
 * always equals `redactText` of the joined input. Work per piece is proportional to the piece
 * plus the held tail; released text is never scanned again.
 *
 * Hold-back is bounded: a run without spaces longer than `MAX_TOKEN` (4 KB, longer than any
 * pattern) is released in 1 KB steps; an unterminated private key block is held up to
 * HOLD_LIMIT, then replaced and further input dropped until its END line (failing closed). A
 * custom `replacement` then sees the block's end as of that moment; the default does not use it.
 */
export class StreamRedactor {
  readonly #plan: ScanPlan;
  readonly #replacement: (finding: Finding, label: string) => string;
  readonly #counts: Record<string, number> = {};
  readonly #gates = new GateTracker();
  /** What the held text shows, updated with each piece. */
  #marks: Marks = NO_MARKS;
  /** The held text is one plain token and nothing else needs watching (see `#releasePlain`). */
  #plainHeld: boolean;
  /** The held text is prose whose only marks are digits, and nothing else needs watching. */
  #numberedHeld = false;
  /** The held text, and the stream offset of its first character. */
  #pending = '';
  #pendingAt = 0;
  /** Released raw text, newest last; cut back to CONTEXT characters now and then. */
  #recent = '';
  #contextCache: string | undefined;
  /** `#context` as a value, made once rather than per piece. */
  readonly #contextOf = (): string => this.#context();
  /** Stream offset of a private key header still waiting for its END line, or -1. */
  #openKey = -1;
  /** After an over-long key block was replaced: input is dropped until its END line. */
  #swallowing = false;

  constructor(options: RedactionOptions = {}) {
    this.#plan = planFor(options);
    this.#replacement = options.replacement ?? defaultReplacement;
    this.#plainHeld = this.#plan.literals.length === 0;
  }

  /** Redactions so far by label (type, or the literal's label). */
  get counts(): Readonly<Record<string, number>> {
    return this.#counts;
  }

  /** Characters currently held back. */
  get held(): number {
    return this.#swallowing ? 0 : this.#pending.length;
  }

  /** Feeds a delta; returns the text that is now safe to release (possibly ''). */
  push(delta: string): string {
    if (delta === '') return '';
    if ((this.#plainHeld || this.#numberedHeld) && this.#gates.quiet(this.#pendingAt)) {
      const prose = proseAfter(this.#pending, delta);
      if (prose === PROSE_PLAIN && this.#plainHeld) return this.#releasePlain(delta);
      const output = prose === PROSE_MARKED ? undefined : this.#releaseNumbered(delta);
      if (output !== undefined) return this.#settled(output);
    }
    return this.#settled(this.#pushScanned(delta));
  }

  /** Notes whether the held text left by a push is a plain token, and returns the push's output. */
  #settled(output: string): string {
    const free = this.#plan.literals.length === 0 && !this.#swallowing && this.#openKey < 0;
    this.#plainHeld = free && this.#marks === NO_MARKS && isPlainToken(this.#pending);
    this.#numberedHeld =
      free &&
      !this.#plainHeld &&
      this.#marks.numeric &&
      proseAfter('', this.#pending) === PROSE_NUMBERED;
    return output;
  }

  #pushScanned(delta: string): string {
    const previousLength = this.#pending.length;
    this.#pending += delta;
    this.#noteSignals(previousLength);
    if (this.#swallowing) return this.#swallow();
    if (this.#openKey >= 0) return this.#waitForFooter(previousLength);
    return this.#release(false);
  }

  /**
   * Plain prose after a plain token: everything up to the piece's last break is released as it
   * is, and only its last token is held. The held text is never joined with the piece, as the
   * joined string would be built only to be cut again.
   */
  #releasePlain(delta: string): string {
    let cut = delta.length;
    while (cut > 0 && !isBreak(delta.charCodeAt(cut - 1))) cut--;
    if (cut === 0) {
      this.#pending += delta;
      return '';
    }
    const raw = this.#pending + delta.slice(0, cut);
    this.#remember(raw);
    this.#pending = delta.slice(cut);
    this.#pendingAt += raw.length;
    return raw;
  }

  /**
   * Prose whose only marks are digits, after plain or numbered prose: released up to the tail rules' hold
   * without a scan when the detectors' own necessary conditions rule out a match in the held
   * text and piece together, and no digit in the piece can end an `Authorization` gate (the only
   * gate a digit completes; the piece has no other trigger). This is the scanning path's outcome
   * for such text with its searches left out; otherwise undefined, and the piece is scanned.
   */
  #releaseNumbered(delta: string): string | undefined {
    const text = this.#pending + delta;
    if (anyMayMatch(this.#plan, profileOf(text, false))) return undefined;
    const gateInput = {
      context: this.#contextOf,
      pending: text,
      pendingAt: this.#pendingAt,
      from: this.#pending.length,
      numeric: true,
    };
    if (mayHaveAuthorization(gateInput)) return undefined;
    const hold = holdStart(text, 0, this.#pendingAt, this.#plan.literals, true);
    this.#pending = text;
    // A digit is both kinds of mark; `#advance` takes them again from what it leaves held.
    this.#marks = DIGIT_MARKS;
    return this.#advance(hold);
  }

  /** End of stream: returns the rest, redacted. */
  flush(): string {
    if (this.#swallowing) {
      this.#swallowing = false;
      this.#advance(this.#pending.length);
      return '';
    }
    this.#openKey = -1;
    return this.#release(true);
  }

  #release(final: boolean): string {
    const pending = this.#pending;
    const literals = this.#plan.literals;
    const { signal, numeric } = this.#marks;
    const hold = final ? pending.length : holdStart(pending, 0, this.#pendingAt, literals, numeric);
    if (hold === 0 && !final) return '';
    // Nothing any pattern needs is in the part to release and no credential key is near: release
    // it unscanned. A match starting there would hold a signal there, as the tail rules hold
    // every match that could still grow from its start.
    const quiet = (!signal || !signalBefore(pending, hold)) && this.#gates.quiet(this.#pendingAt);
    if (!final && quiet && literals.length === 0) return this.#advance(hold);
    return this.#scanAndRelease(hold, final);
  }

  #scanAndRelease(pendingHold: number, final: boolean): string {
    const profile = profileOf(this.#pending, this.#gates.near(this.#pendingAt).length > 0);
    if (!anyMayMatch(this.#plan, profile)) return this.#advance(pendingHold);
    const context = this.#context();
    const text = context + this.#pending;
    const from = context.length;
    const base = this.#pendingAt - from;
    const gates = this.#gates.near(this.#pendingAt).map((gate) => gate - base);
    const candidates = scanCandidates(this.#plan, text, from, { profile, gates });
    const hold = settleHold({ candidates, hold: from + pendingHold, length: text.length, final });
    this.#noteOpenKey(candidates, hold, base);
    const settled = candidates.filter((candidate) => candidate.start < hold);
    const findings = resolveFindings(this.#plan, text, settled);
    const output = applyFindings({
      text,
      from,
      to: hold,
      findings,
      offset: base,
      replacement: this.#replacement,
      counts: this.#counts,
    });
    return this.#advance(hold - from, output);
  }

  /** Releases the first `count` held characters as `output` (by default, unchanged). */
  #advance(count: number, output?: string): string {
    if (count === 0) return output ?? '';
    const raw = this.#pending.slice(0, count);
    this.#remember(raw);
    this.#pending = this.#pending.slice(count);
    this.#pendingAt += count;
    // A part of quiet text is quiet; otherwise the marks are taken again from what is left.
    if (this.#marks.signal || this.#marks.numeric) this.#marks = marksOf(this.#pending);
    return output ?? raw;
  }

  #remember(raw: string): void {
    // Appending builds a rope; cutting it back now and then keeps it short.
    this.#recent = this.#recent.length > 2 * CONTEXT ? this.#context() + raw : this.#recent + raw;
    this.#contextCache = undefined;
  }

  /** The last CONTEXT released characters (fewer at the start of the stream). */
  #context(): string {
    if (this.#contextCache !== undefined) return this.#contextCache;
    const recent = this.#recent;
    this.#contextCache = recent.length > CONTEXT ? recent.slice(-CONTEXT) : recent;
    return this.#contextCache;
  }

  /** Updates the held text's marks and looks for credential-key gates it may complete. */
  #noteSignals(previousLength: number): void {
    this.#marks = marksOf(this.#pending, previousLength, this.#marks);
    const numeric = this.#marks.numeric;
    this.#gates.note({
      context: this.#contextOf,
      pending: this.#pending,
      pendingAt: this.#pendingAt,
      from: previousLength,
      numeric,
    });
  }

  #noteOpenKey(candidates: readonly Candidate[], hold: number, base: number): void {
    const open = candidates.find((candidate) => candidate.open === true && candidate.start >= hold);
    this.#openKey = open === undefined ? -1 : base + open.start;
  }

  #waitForFooter(previousLength: number): string {
    const header = this.#openKey - this.#pendingAt;
    const searchFrom = Math.max(header + 1, previousLength - FOOTER_MAX_LENGTH);
    if (findFooterEnd(this.#pending, searchFrom) !== -1) {
      this.#openKey = -1;
      return this.#release(false);
    }
    if (this.#pending.length - header <= HOLD_LIMIT) return '';
    return this.#replaceOpenKey();
  }

  /**
   * The block outgrew the hold limit: release one replacement for it now (its end is where the
   * stream is at this moment) and drop further input up to the END line.
   */
  #replaceOpenKey(): string {
    const finding: Finding = {
      start: this.#openKey,
      end: this.#pendingAt + this.#pending.length,
      type: 'secret',
      rule: 'private-key',
    };
    this.#counts.secret = (this.#counts.secret ?? 0) + 1;
    this.#openKey = -1;
    this.#swallowing = true;
    this.#advance(Math.max(0, this.#pending.length - FOOTER_MAX_LENGTH));
    return this.#replacement(finding, 'secret');
  }

  /** Drops input until an END line; keeps a short tail so a split END line is still found. */
  #swallow(): string {
    const footerEnd = findFooterEnd(this.#pending, 0);
    if (footerEnd === -1) {
      this.#advance(Math.max(0, this.#pending.length - FOOTER_MAX_LENGTH));
      return '';
    }
    this.#swallowing = false;
    this.#advance(footerEnd);
    return this.#release(false);
  }
}

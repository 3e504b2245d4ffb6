import { gatesAround, KEY_GATE_MAX, KEYWORD_REACH } from './key-patterns.js';
import { findFooterEnd, FOOTER_MAX_LENGTH } from './private-key-detector.js';
import { profileOf } from './profile.js';
import { applyFindings, defaultReplacement } from './redact-text.js';
import { settleHold } from './release.js';
import { anyMayMatch, planFor, resolveFindings, scanCandidates, type ScanPlan } from './scan.js';
import { SignalScanner, STEM_WORDS } from './signal-scanner.js';
import { holdStart } from './tail.js';
import type { Candidate, Finding, RedactionOptions } from './types.js';

/** Raw text kept before the held part, for patterns that look back (`password = `). */
const CONTEXT = 160;
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
  readonly #signals = new SignalScanner();
  /** The held text, and the stream offset of its first character. */
  #pending = '';
  #pendingAt = 0;
  /** Released raw text, newest last; joined and cut to CONTEXT characters when read. */
  #recent: string[] = [];
  /** Stream offsets of recent credential-key gates (see `KEY_GATE`), ascending. */
  #gates: number[] = [];
  /** Stream offset of a private key header still waiting for its END line, or -1. */
  #openKey = -1;
  /** After an over-long key block was replaced: input is dropped until its END line. */
  #swallowing = false;

  constructor(options: RedactionOptions = {}) {
    this.#plan = planFor(options);
    this.#replacement = options.replacement ?? defaultReplacement;
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
    const previousLength = this.#pending.length;
    this.#pending += delta;
    this.#noteSignals(delta, previousLength);
    if (this.#swallowing) return this.#swallow();
    if (this.#openKey >= 0) return this.#waitForFooter(previousLength);
    return this.#release(false);
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
    const numeric =
      this.#signals.signalAt >= this.#pendingAt || pending.includes('(') || pending.includes('+');
    const hold = final ? pending.length : holdStart(pending, 0, this.#pendingAt, literals, numeric);
    if (hold === 0 && !final) return '';
    const gates = this.#gatesNear();
    // Nothing any pattern needs is held and no credential key is near: release unscanned.
    const quiet = this.#signals.signalAt < this.#pendingAt && gates.length === 0;
    if (!final && quiet && literals.length === 0) return this.#advance(hold);
    return this.#scanAndRelease(hold, final);
  }

  #scanAndRelease(pendingHold: number, final: boolean): string {
    const profile = profileOf(this.#pending, this.#gates.length > 0);
    if (!anyMayMatch(this.#plan, profile)) return this.#advance(pendingHold);
    const context = this.#context();
    const text = context + this.#pending;
    const from = context.length;
    const base = this.#pendingAt - from;
    const gates = this.#gates.map((gate) => gate - base);
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
    const raw = this.#pending.slice(0, count);
    this.#remember(raw);
    this.#pending = this.#pending.slice(count);
    this.#pendingAt += count;
    return output ?? raw;
  }

  #remember(raw: string): void {
    if (raw === '') return;
    this.#recent.push(raw);
    if (this.#recent.length > 64) this.#context();
  }

  /** The last CONTEXT released characters (fewer at the start of the stream). */
  #context(): string {
    if (this.#recent.length > 1) this.#recent = [this.#recent.join('').slice(-CONTEXT)];
    return this.#recent[0] ?? '';
  }

  /**
   * Scans the new text for signals, and looks for credential-key gates around credential words
   * recent enough to be part of a gate this piece completes (one starts at most KEY_GATE_MAX
   * back, and its word lies inside it).
   */
  #noteSignals(delta: string, previousLength: number): void {
    // The delta is a flat string; the held text is a fresh concatenation.
    this.#signals.scan(delta, 0, this.#pendingAt + previousLength);
    const stems = this.#signals.stemEnds;
    const earliest = this.#pendingAt + previousLength - KEY_GATE_MAX;
    while (stems.length > 0 && (stems[0] ?? 0) < earliest) stems.shift();
    if (stems.length === 0) return;
    const context = this.#context();
    const text = context + this.#pending;
    const base = this.#pendingAt - context.length;
    for (const stemEnd of stems) {
      for (const start of gatesAround(text, stemEnd - base, STEM_WORDS))
        this.#addGate(base + start);
    }
  }

  #addGate(gate: number): void {
    if (this.#gates.includes(gate)) return;
    this.#gates.push(gate);
    this.#gates.sort((left, right) => left - right);
  }

  /** Gate starts that can still key a value in the held text (stream offsets). */
  #gatesNear(): readonly number[] {
    const earliest = this.#pendingAt - KEYWORD_REACH - KEY_GATE_MAX;
    while (this.#gates.length > 0 && (this.#gates[0] ?? 0) < earliest) this.#gates.shift();
    return this.#gates;
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

import { GateTracker, mayHaveAuthorization, type GateInput } from './gate-tracker.js';
import { HeldReading } from './held-reading.js';
import { findFooterEnd, FOOTER_MAX_LENGTH } from './private-key-detector.js';
import { applyFindings, defaultReplacement } from './redact-text.js';
import { ReleasedText } from './released-text.js';
import { settleHold } from './release.js';
import { anyMayMatch, planFor, resolveFindings, scanCandidates, type ScanPlan } from './scan.js';
import { assignmentDetector, assignmentValueFloor } from './secret-detectors.js';
import {
  PROSE_NUMBERED,
  PROSE_PLAIN,
  readProse,
  trailingRun,
  type ProseReading,
} from './signal-scanner.js';
import { grownRunHold, holdStart, SETTLED_RUN } from './tail.js';
import { hasBreak } from './profile.js';
import type { Candidate, Finding, RedactionOptions } from './types.js';

/** An open private key block is held up to this size before it is replaced unseen. */
export const HOLD_LIMIT = 16 * 1024;

/**
 * A held text that is one run of token characters this long is only added to while it grows
 * (see `#growRun`). Longer than any gate's own stretch, so the held text is marked, never plain
 * prose. A held text with breaks in it must end in a run of SETTLED_RUN characters.
 */
const LONG_HELD_RUN = 64;

/**
 * Redacts a text that arrives in pieces. After each piece it releases everything that can no
 * longer become part of a match and holds only the tail that still could, so the joined output
 * always equals `redactText` of the joined input. Work per piece is proportional to the piece
 * plus the held tail; released text is never scanned again.
 *
 * Hold-back is bounded: a run without spaces longer than `MAX_TOKEN` (8 KB, longer than any
 * pattern) is released in 1 KB steps; an unterminated private key block is held up to
 * HOLD_LIMIT, then replaced and further input dropped until its END line (failing closed). A
 * custom `replacement` then sees the block's end as of that moment; the default does not use it.
 */
export class StreamRedactor {
  readonly #plan: ScanPlan;
  readonly #replacement: (finding: Finding, label: string) => string;
  readonly #counts: Record<string, number> = {};
  readonly #gates = new GateTracker();
  /** What the held text shows, read once per piece that needs it (see `#read`). */
  readonly #reading = new HeldReading();
  /** The held text is one plain token and nothing else needs watching (see `#releasePlain`). */
  #plainHeld: boolean;
  /** The held text is prose whose only marks are digits, and nothing else needs watching. */
  #numberedHeld = false;
  /** What the last piece read as prose was; filled in place per piece. */
  readonly #prose: ProseReading = { kind: PROSE_PLAIN, cut: 0 };
  /** The held text, and the stream offset of its first character. */
  #pending = '';
  #pendingAt = 0;
  /** The released text patterns may look back into. */
  readonly #released = new ReleasedText();
  /** What the gate tracker reads: one object per stream, refilled per piece. */
  readonly #gateInput: GateInput = {
    context: () => this.#released.context(),
    before: (count) => this.#released.before(count),
    codeBefore: (count) => this.#released.codeBefore(count),
    pending: '',
    pendingAt: 0,
    from: 0,
    reading: this.#reading,
  };
  /** Stream offset of a private key header still waiting for its END line, or -1. */
  #openKey = -1;
  /** After an over-long key block was replaced: input is dropped until its END line. */
  #swallowing = false;
  /**
   * Where the run the held text ends in starts, when pieces without a break may be taken into it
   * unread (see `#growRun`), or -1; and the tail rules' hold of the held text as it was then.
   */
  #runFrom = -1;
  #runHold = 0;
  /** The tail rules' hold of the held text, when the last push found it and released nothing. */
  #heldHold = -1;
  /** Held length before the first piece `#growRun` took in without a search, or -1. */
  #unsearchedFrom = -1;
  /**
   * While the held text starts at stream offset `#coverAt`: every scan of it, however long it
   * grows, finds a value starting at its first character that ends at or after `#coverEnd`
   * (see `#noteCover`).
   */
  #coverAt = -1;
  #coverEnd = -1;

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
    if (this.#runFrom !== -1 && this.#growRun(delta)) return '';
    if ((this.#plainHeld || this.#numberedHeld) && this.#gates.quiet(this.#pendingAt)) {
      const prose = this.#prose;
      // A plain token has no break, so the run it ends in is all of it.
      const run = this.#plainHeld ? this.#pending.length : trailingRun(this.#pending);
      readProse(this.#pending, run, delta, prose);
      if (prose.kind === PROSE_PLAIN && this.#plainHeld)
        return this.#releasePlain(delta, prose.cut);
      if (prose.kind !== PROSE_PLAIN && prose.kind !== PROSE_NUMBERED)
        return this.#settled(this.#pushScanned(this.#append(delta)));
      const previousLength = this.#append(delta);
      const output = this.#releaseNumbered(previousLength);
      return this.#settled(output ?? this.#pushScanned(previousLength));
    }
    return this.#settled(this.#pushScanned(this.#append(delta)));
  }

  /**
   * Adds `delta` to the held text; returns where the text not yet searched for gates starts: the
   * held length before it, or before the pieces `#growRun` took in.
   */
  #append(delta: string): number {
    const previousLength = this.#unsearched(this.#pending.length);
    // Built flat, as every caller reads it next: a `+` rope's first read calls the runtime.
    this.#pending = this.#pending === '' ? delta : [this.#pending, delta].join('');
    return previousLength;
  }

  /** `length`, or where the pieces taken in by `#growRun` start, and forgets the latter. */
  #unsearched(length: number): number {
    const from = this.#unsearchedFrom;
    this.#unsearchedFrom = -1;
    return from === -1 ? length : from;
  }

  /**
   * A piece without a break that lengthens the long run the held text ends in releases nothing
   * when the tail rules still hold all the held text (see `grownRunHold`: the hold is found
   * without reading it), or when the part they would release lies inside a value known to start
   * at the held text's first character (see `#noteCover`): the piece is only appended. Otherwise
   * every piece would read all the held text again (its reading, the gate search, the tail
   * rules, the scan), and a long run arriving a character at a time (a base64 blob, a minified
   * line, `secret:secret:…`) would cost time in the square of its length. The gate search
   * skipped here is made, from the first piece taken in, by the next piece that is read or by
   * the end of the stream.
   */
  #growRun(delta: string): boolean {
    if (hasBreak(delta)) return false;
    const length = this.#pending.length + delta.length;
    const hold = grownRunHold(this.#pendingAt, length, this.#runFrom, this.#runHold);
    if (hold > 0 && !this.#covered(hold)) return false;
    if (this.#unsearchedFrom === -1) this.#unsearchedFrom = this.#pending.length;
    this.#pending += delta;
    return true;
  }

  /**
   * Whether a scan would settle a hold of `hold` characters back to 0: a value known to start at
   * the held text's first character runs past the hold, so `settleHold` moves the hold to that
   * value's start, and no other candidate can move it further back (every candidate starts in
   * the held text). The gate that value needs is near, so the held text is scanned, not released
   * unread. Nothing is released, no finding is applied, and no private key block is left open:
   * none was after the scan that found the value, and the run a piece lengthens cannot complete
   * a BEGIN line, which has a space: the few characters it may have after its last space were in
   * that run then (SETTLED_RUN or more characters of it). A scan would change nothing but what
   * the gate search finds, which the next scan makes anyway.
   */
  #covered(hold: number): boolean {
    return this.#coverAt === this.#pendingAt && this.#pendingAt + hold < this.#coverEnd;
  }

  /** The reading of the held text, taken now if the held text changed since the last one. */
  #read(): HeldReading {
    // Comparing equal strings is cheap when they are the same string, as they are here.
    if (this.#reading.held !== this.#pending) this.#reading.read(this.#pending);
    return this.#reading;
  }

  /**
   * Notes whether the held text left by a push is a plain token or numbered prose, and returns
   * the push's output. Read as prose on its own, the held text is a plain token when it reads
   * as plain prose without a break (the start of a trigger it may end in is read with the next
   * piece); either has no mark but digits, so the marks need not be taken again.
   */
  #settled(output: string): string {
    const hold = this.#heldHold;
    this.#heldHold = -1;
    this.#plainHeld = false;
    this.#numberedHeld = false;
    this.#runFrom = -1;
    if (this.#plan.literals.length > 0 || this.#swallowing || this.#openKey >= 0) return output;
    this.#noteRun(hold);
    const prose = this.#prose;
    readProse('', 0, this.#pending, prose);
    this.#plainHeld = prose.kind === PROSE_PLAIN && prose.cut === 0;
    this.#numberedHeld = prose.kind === PROSE_NUMBERED;
    return output;
  }

  /**
   * Notes where the run the held text ends in starts when `#growRun` may take pieces into it:
   * when the held text is one long run, whose hold the tail rules find from its length alone, or
   * when it ends in a run of SETTLED_RUN characters and its hold `hold` is known (-1 if not).
   */
  #noteRun(hold: number): void {
    const pending = this.#pending;
    if (pending.length >= LONG_HELD_RUN && !hasBreak(pending)) {
      this.#runFrom = 0;
      this.#runHold = grownRunHold(this.#pendingAt, pending.length, 0, 0);
      return;
    }
    if (hold === -1) return;
    const run = trailingRun(pending);
    if (run < SETTLED_RUN) return;
    this.#runFrom = pending.length - run;
    this.#runHold = hold;
  }

  /** The scanning path for a piece appended after `previousLength` held characters. */
  #pushScanned(previousLength: number): string {
    this.#gates.note(this.#gateInputFrom(previousLength));
    if (this.#swallowing) return this.#swallow();
    if (this.#openKey >= 0) return this.#waitForFooter(previousLength);
    return this.#release(false);
  }

  /**
   * Plain prose after a plain token: everything up to the piece's last break (`cut`, found when
   * the piece was read) is released as it is, and only its last token is held. The held text is
   * never joined with the piece, as the joined string would be built only to be cut again.
   */
  #releasePlain(delta: string, cut: number): string {
    if (cut === 0) {
      this.#pending += delta;
      return '';
    }
    const raw = cut === delta.length ? this.#pending + delta : this.#pending + delta.slice(0, cut);
    this.#released.add(raw, delta, cut);
    this.#pending = cut === delta.length ? '' : delta.slice(cut);
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
  #releaseNumbered(previousLength: number): string | undefined {
    const reading = this.#read();
    // No gate is near (the numbered path is taken only then), so the assignment forms are out.
    reading.keywordNear = false;
    if (anyMayMatch(this.#plan, reading)) return undefined;
    if (mayHaveAuthorization(this.#gateInputFrom(previousLength))) return undefined;
    return this.#advance(
      holdStart(this.#pending, 0, this.#pendingAt, this.#plan.literals, reading),
    );
  }

  /** End of stream: returns the rest, redacted. */
  flush(): string {
    // Pieces taken in by `#growRun` are searched for gates before the last scan needs them.
    if (this.#unsearchedFrom !== -1)
      this.#gates.note(this.#gateInputFrom(this.#unsearched(this.#pending.length)));
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
    const reading = this.#read();
    const hold = final ? pending.length : holdStart(pending, 0, this.#pendingAt, literals, reading);
    if (hold === 0 && !final) {
      this.#heldHold = 0;
      return '';
    }
    // Nothing any pattern needs is in the part to release and no credential key is near: release
    // it unscanned. A match starting there would hold a signal there, as the tail rules hold
    // every match that could still grow from its start (or the hold cuts into one: see
    // `signalBefore`).
    const quiet = !reading.signalBefore(hold) && this.#gates.quiet(this.#pendingAt);
    if (!final && quiet && literals.length === 0) return this.#advance(hold);
    return this.#scanAndRelease(hold, final);
  }

  #scanAndRelease(pendingHold: number, final: boolean): string {
    const profile = this.#read();
    profile.keywordNear = this.#gates.near(this.#pendingAt).length > 0;
    if (!anyMayMatch(this.#plan, profile)) return this.#advance(pendingHold);
    const context = this.#released.context();
    const text = context + this.#pending;
    const from = context.length;
    const base = this.#pendingAt - from;
    const gates = this.#gates.near(this.#pendingAt).map((gate) => gate - base);
    const candidates = scanCandidates(this.#plan, text, from, { profile, gates });
    const hold = settleHold({ candidates, hold: from + pendingHold, length: text.length, final });
    this.#noteOpenKey(candidates, hold, base);
    if (hold === from && !final) {
      this.#heldHold = pendingHold;
      this.#noteCover(text, from, gates, profile);
    }
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

  /**
   * After a scan of `text` (the context and the held text, which starts at `from`) released
   * nothing: notes how far a value starting at the held text's first character runs in this
   * and every longer held text, for `#growRun`. Only the plain assignment form is asked (see
   * `assignmentValueFloor`): in a run of credential keys (`secret:secret:…`, `a=1&token=…`) each
   * key's value runs over the next keys, so the value at the held text's start is what holds
   * the run; asked only when the held text may end in a long run, as only `#growRun` reads the
   * answer. The gates a longer held text is scanned with are these and perhaps more: a gate is
   * dropped only when the held text starts past its reach, and it starts here until a release.
   */
  #noteCover(text: string, from: number, gates: readonly number[], reading: HeldReading): void {
    this.#coverAt = -1;
    if (reading.longestRun < SETTLED_RUN) return;
    if (!this.#plan.detectors.includes(assignmentDetector)) return;
    const end = assignmentValueFloor(text, from, gates);
    if (end === -1) return;
    this.#coverAt = this.#pendingAt;
    this.#coverEnd = this.#pendingAt - from + end;
  }

  /** Releases the first `count` held characters as `output` (by default, unchanged). */
  #advance(count: number, output?: string): string {
    if (count === 0) return output ?? '';
    const raw = this.#pending.slice(0, count);
    this.#released.add(raw, this.#pending, count);
    this.#pending = this.#pending.slice(count);
    this.#pendingAt += count;
    return output ?? raw;
  }

  /** The gate tracker's input for the held text, new from `previousLength` on, as read now. */
  #gateInputFrom(previousLength: number): GateInput {
    const input = this.#gateInput;
    this.#read();
    input.pending = this.#pending;
    input.pendingAt = this.#pendingAt;
    input.from = previousLength;
    return input;
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

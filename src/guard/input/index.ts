/**
 * Prompt-injection checks for user messages, tool results and retrieved memories: text is
 * normalised against obfuscation, then read by rules and a small trained classifier.
 */
export type {
  InjectionDetector,
  InjectionDetectorOptions,
  InjectionReason,
  InjectionSource,
  InjectionVerdict,
} from './types.js';

/**
 * Creates a detector. `threshold` (0..1) defaults to the value tuned when the shipped model
 * was trained; tool results and memories are judged against a slightly lower bar.
 */
export { createInjectionDetector } from './detector.js';

/** Runs a detector over a few texts that take every path once, so first checks pay no set-up. */
export { warmUp } from './warm-up.js';

/**
 * Normalises text the way the detector reads it. `text` is the folded top-level text,
 * `transforms` names the steps that changed something, `decoded` holds decoded payloads.
 */
export { normaliseForDetection } from './normalise.js';

/** Shape of the normalisation result. */
export type { NormalisedText } from './normalise.js';

/** Bounds that keep a check's cost flat whatever the input: size read, decoding depth and total. */
export { MAX_DECODED, MAX_DEPTH, MAX_INPUT } from './normalise.js';
export { MAX_SCREENED } from './detector.js';

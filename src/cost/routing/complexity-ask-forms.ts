/**
 * The forms of ask that make a request hard whatever its wording: question shapes that ask for a
 * mechanism, a consequence or a judgement rather than a fact. Plain data, like the markers: each
 * point the estimate gives from here names its form, never the words that matched.
 */

import type { Marker } from './complexity-markers.js';

/**
 * Shapes of a question that ask how or why something happens, what would follow, or which of
 * two courses is better: a fact lookup rarely takes these forms.
 */
export const ASK_FORMS: readonly Marker[] = [
  {
    name: 'mechanism',
    pattern:
      /\bhow (?:does|do|did|can|could|would|will|is|are)(?: [^\s.?!]+){0,8}? (?:work|works|happen|cause|causes|affect|affects|produce|produces|differ|interact|know|tell|decide|fail|fails|scale|get around|lead to|arise|form|evolve|spread)\b|\bwhat (?:causes|caused|determines|limits|drives|explains)\b/i,
    points: 1,
  },
  {
    name: 'hypothetical',
    pattern:
      /\bwhat (?:would|will|could|might) (?:happen|change)\b|\bwhat (?:would|will|could|might)(?: [^\s.?!]+){1,12}? if\b|\bwhat if\b|\bsuppose\b|\bimagine (?:that|if)\b|\bhypothetical\w*/i,
    points: 1,
  },
  {
    name: 'possibility',
    pattern:
      /\bis (?:it|there) (?:possible|feasible|a way|any way)\b|\bcan (?:one|it be shown|you prove)\b|\bunder what (?:conditions|circumstances)\b|\bto what extent\b/i,
    points: 1,
  },
  {
    name: 'better-of-two',
    pattern:
      /\b(?:is it|which is|would it be) (?:better|wiser|cheaper|safer)\b|\bmake more sense\b|\b(?:better to|should (?:i|we|a|an|the|my|our))(?: [^\s.?!]+){1,12}? or\b/i,
    points: 1,
  },
  {
    name: 'consequences',
    pattern:
      /\bwhat are the (?:risks|consequences|implications|effects|dangers|limits|downsides)\b|\bwhat (?:happens|changes) (?:to|when|if)\b/i,
    points: 1,
  },
  {
    name: 'counting',
    pattern: /\b(?:in )?how many (?:ways|different ways|arrangements|possible)\b/i,
    points: 1,
  },
  {
    // A yes-or-no question that turns on a condition: whether a rule or result still holds. Read
    // from a sentence's start only, which keeps it linear on a long paste; the start is looked
    // behind for (32 spaces at most), so a run of blank lines is not rescanned from each line.
    name: 'conditional',
    pattern:
      /(?<=(?:^|[.?!\n])\s{0,32})(?:is|are|can|could|would|will|does|do|should)(?: [^\s.?!]+){1,15}? (?:if|unless|provided|as long as)\b[^.?!\n]{0,120}\?/i,
    points: 1,
  },
  {
    // "Why do tides ..." or "How does a vaccine ...": about a thing or a process. Everyday
    // questions about people name them ("Why did Jon ...") or ask for a how-to ("How do I ...").
    name: 'impersonal',
    pattern:
      /\b(?:[Ww]hy|[Hh]ow) (?:do|does|did|is|are|was|were|can|could|would|will|should|might)(?:n't| not)? (?!(?:i|you|we|he|she|they|it|my|your|our|his|her|their|u|one)\b)[a-z]/,
    points: 0.75,
  },
  {
    // The same question narrowed by a condition ("... when it makes a loan", "... without
    // overshooting"): it asks for the specific mechanism, not the textbook line.
    name: 'qualified',
    pattern:
      /\b(?:[Ww]hy|[Hh]ow) (?:do|does|did|is|are|was|were|can|could|would|will|should|might)(?:n't| not)? (?!(?:i|you|we|he|she|they|it|my|your|our|his|her|their|u|one)\b)[a-z][^.?!\n]{0,80}?\b(?:when|without|rather than|while|even though|even if|despite|instead of|given that|unless)\b/,
    points: 0.5,
  },
  {
    // "How would a four-day week affect ...": the outcome of a change to a thing, not a person.
    name: 'projection',
    pattern:
      /\b[Hh]ow (?:would|will|might|could) (?!(?:i|you|we|he|she|they|it|my|your|our|his|her|their|u|one)\b)[a-z]/,
    points: 1,
  },
  {
    name: 'open-problem',
    pattern:
      /\bwhat (?:can|could|should) (?:we|i) (?:do|change|try)\b|\bhow (?:can|could|should|do) (?:we|i) (?:fix|improve|reduce|speed up|prevent|stop|avoid|handle|deal with|find)\b/i,
    points: 1,
  },
  {
    name: 'options',
    pattern: /\bwhat (?:are|were) (?:my|our|the|their) options\b|\bwhat options\b/i,
    points: 1,
  },
  {
    name: 'difference',
    pattern: /\bdifferences? between\b|\bhow (?:does|do)(?: [^\s.?!]+){1,8}? differ\b/i,
    points: 0.5,
  },
];
/** Ask forms stop adding points here. */
export const ASK_FORM_CAP = 2;

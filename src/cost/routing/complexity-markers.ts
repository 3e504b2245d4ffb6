/**
 * The words and shapes the complexity estimate looks for, with the points each is worth. Plain
 * data so the estimate stays explainable: every point it gives traces back to one line here.
 */

export interface Marker {
  /** Shown in the decision's reasons. */
  name: string;
  pattern: RegExp;
  points: number;
}

/** Asks for reasoning: a wrong answer here is costly, and small models get these wrong first. */
export const REASONING_MARKERS: readonly Marker[] = [
  { name: 'step by step', pattern: /\bstep[- ]by[- ]step\b/i, points: 2 },
  { name: 'prove', pattern: /\b(?:prove|proof|derive|derivation)\b/i, points: 2.5 },
  { name: 'trade-offs', pattern: /\btrade-?offs?\b|\bpros and cons\b/i, points: 1.5 },
  { name: 'analyse', pattern: /\banaly[sz](?:e|is|ing)\b/i, points: 1 },
  { name: 'compare', pattern: /\b(?:compare|comparison|contrast|versus)\b|\bvs\.?\s/i, points: 1 },
  { name: 'why', pattern: /\bwhy\b/i, points: 1 },
  { name: 'evaluate', pattern: /\b(?:evaluate|assess|critique|justify)\b/i, points: 1 },
  { name: 'design', pattern: /\b(?:design|architect(?:ure)?|optimi[sz]e)\b/i, points: 1 },
  { name: 'debug', pattern: /\b(?:debug|root cause|diagnose)\b/i, points: 1 },
  {
    name: 'in depth',
    pattern: /\b(?:in depth|in detail|thorough(?:ly)?|rigorous(?:ly)?)\b/i,
    points: 1,
  },
  { name: 'explain', pattern: /\bexplain\b/i, points: 0.5 },
];
/** Reasoning markers stop adding points here: piling up synonyms is not more reasoning. */
export const REASONING_CAP = 4;

/** Words that order several steps: two or more distinct ones make a multi-step ask. */
export const SEQUENCE_WORDS =
  /\b(?:first(?:ly)?|second(?:ly)?|then|next|after that|finally|lastly)\b/gi;

/** A line that opens a numbered or bulleted item: `1.`, `2)`, `- `, `* `. */
export const LIST_ITEM = /^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+\S/gm;

export const CODE_FENCE = /```|~~~/;

/** Lines that only stack traces and tracebacks have. */
export const STACK_TRACE =
  /Traceback \(most recent call last\)|^\s+at [\w$.<>]+ ?\(?[^\s()]+:\d+(?::\d+)?\)?$|^\s*File "[^"]+", line \d+|Exception in thread|\bpanicked at\b|^Caused by: /m;

/** Tokens that are rare in prose and common in code. */
export const CODE_TOKENS =
  /=>|::|\(\)|[;{}]\s*$|\b(?:def|function|const|let|var|class|import|return|public|static|void|SELECT|FROM|WHERE|#include)\b|\b[a-z]+_[a-z_]+\(|\b[a-z]+[A-Z]\w*\(/gm;
/** Code tokens counted at most: a pasted file is code already, not more so. */
export const CODE_TOKEN_CAP = 8;

/** Asks that need a tool's help: fresh data, arithmetic, lookups, or a named call. */
export const TOOL_ASK =
  /\b(?:look ?up|search|fetch|calculate|compute|convert|current(?:ly)?|latest|today'?s|weather|exchange rate)\b|\bcall\s+[\w.-]+\s*\{/i;

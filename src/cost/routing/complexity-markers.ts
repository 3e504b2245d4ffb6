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
  { name: 'prove', pattern: /\b(?:prove|proof|derive|derivation|show that)\b/i, points: 2.5 },
  { name: 'solve', pattern: /\b(?:solve|work out|set up the equations?)\b/i, points: 1 },
  { name: 'trade-offs', pattern: /\btrade-?offs?\b|\bpros and cons\b/i, points: 2 },
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
  {
    name: 'plan',
    pattern: /\b(?:plan|outline|propose|recommend(?:ation)?|strategy)\b/i,
    points: 1,
  },
  {
    name: 'judgement',
    pattern:
      /\b(?:how|what) (?:would|should) (?:you|we|i)\b|\bhow (?:you|we) would\b|\bshould (?:a|we|i)\b|\bweigh\b|\b(?:choos(?:e|ing)|decid(?:e|ing)) between\b/i,
    points: 1,
  },
  { name: 'argument', pattern: /\b(?:argue|argument|counter-?argument)s?\b/i, points: 1 },
  {
    name: 'procedure',
    pattern: /\b(?:the steps|in order|week[- ]by[- ]week|walk (?:me )?through)\b/i,
    points: 1,
  },
  { name: 'estimate', pattern: /\bestimate\b/i, points: 1 },
  { name: 'explain', pattern: /\bexplain\b/i, points: 0.5 },
];

/** Asks to produce or change a work product (code, a document, a schema), not to recall a fact. */
export const MAKE_ASK =
  /\b(?:write|implement|refactor|rewrite|build|create|review|translate|fix|draft|set up)\b/i;

/**
 * What a work product is: asked to write one of these, the answer is a piece of engineering or
 * writing, not a recalled fact.
 */
export const DELIVERABLE =
  /\b(?:function|script|class|module|query|schema|unit tests?|test cases|essay|report|user stories|acceptance criteria|specification|proposal|pipeline|migration|dockerfile|configuration|policy|contract|budget|roadmap|runbook|curriculum)\b/i;

/** Acronyms and versioned names (`TLS 1.3`, `GPU`, `ISO 8601`): the vocabulary of a technical ask. */
export const TECHNICAL_TERM = /\b[A-Z]{2,6}[0-9]*\b|\b[A-Za-z]+ \d+(?:\.\d+)+\b/g;
/** Distinct technical terms counted at most. */
export const TECHNICAL_TERM_CAP = 4;

/** Words that set conditions the answer must meet. */
export const CONSTRAINTS =
  /\b(?:without|never|must|so that|only if|at most|at least|zero downtime|safe for|under load|instead of)\b/gi;
/** Constraint words counted at most. */
export const CONSTRAINT_CAP = 3;

/** Several asks in one message: a further question word or instruction after `and` or `then`. */
export const JOINED_ASK =
  /\b(?:and|then)\s+(?:what|how|which|why|when|where|does|is|should|would|could|say|give|describe|explain|show|suggest|recommend|add|list|check|redo)\b/gi;

/** Numbers, dimensions and amounts: quantitative problems carry several. */
export const NUMBER = /\b\d+(?:[.,:]\d+)*\b/g;
/** Numbers counted at most. */
export const NUMBER_CAP = 12;
/** Reasoning markers stop adding points here: piling up synonyms is not more reasoning. */
export const REASONING_CAP = 4;

/** Words that order several steps: two or more distinct ones make a multi-step ask. */
export const SEQUENCE_WORDS =
  /\b(?:first(?:ly)?|second(?:ly)?|then|next|after that|finally|lastly)\b/gi;

/**
 * A list written in prose, `a, b and c` or `a, b, or c`: an ask that names several parts the
 * answer must cover.
 */
export const PROSE_LIST = /,\s*[^\s,.;:?!][^,.;:?!\n]{0,59}?,?\s(?:and|or)\s+[^\s,.;:?!]/;

/**
 * The end of a sentence, followed by more text: several sentences in one ask set several
 * requirements. Not after a digit, so `1.` opening a list item is no sentence.
 */
export const SENTENCE_END = /[^\s\d][.?!](?=\s+\S)/g;
/** Sentence ends counted at most. */
export const SENTENCE_CAP = 6;

/** A line that opens a numbered or bulleted item: `1.`, `2)`, `- `, `* `. */
export const LIST_ITEM = /^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+\S/gm;

export const CODE_FENCE = /```|~~~/;

/**
 * Lines that only stack traces and tracebacks have: Python, Java and JavaScript frames, a Rust
 * panic, a Go panic with its goroutine header and `file.go:12 +0x1d` frames, .NET frames
 * (`at X.Y() in file.cs:line 12`), Ruby's `from file.rb:12:in` and PHP's `#0 file.php(12):`.
 * Indentation is spaces, tabs and no-break spaces (pasted text has them), never line ends: `\s`
 * would run across them, and a run of blank lines would be rescanned from every line. A frame's
 * name and its location are told apart by the bracket between them, never by backtracking
 * between two classes that share characters (which took milliseconds on one long `at` line).
 */
export const STACK_TRACE =
  /Traceback \(most recent call last\)|^[ \t\u00a0]+at (?:[\w$.<>]+ ?\([^\s()]+:\d+(?::\d+)?\)|[^\s()]+:\d+(?::\d+)?)$|^[ \t\u00a0]*File "[^"]+", line \d+|Exception in thread|\bpanicked at\b|^Caused by: |^goroutine \d+ \[[\w ,]+\]:$|^[ \t\u00a0]*\S+\.go:\d+ \+0x[\da-f]+$|^[ \t\u00a0]+at [^\s()]+\([^()\n]*\) in [^\n]+:line \d+$|^[ \t\u00a0]*from [^\s:]+\.rb:\d+:in |^#\d+ [^\s()]+\.php\(\d+\): /m;

/** Tokens that are rare in prose and common in code. */
export const CODE_TOKENS =
  /=>|::|\(\)|[;{}]\s*$|\b(?:def|function|const|let|var|class|import|return|public|static|void|SELECT|FROM|WHERE|#include)\b|\b[a-z]+_[a-z_]+\(|\b[a-z]+[A-Z]\w*\(/gm;
/** Code tokens counted at most: a pasted file is code already, not more so. */
export const CODE_TOKEN_CAP = 8;

/** Asks that need a tool's help: fresh data, arithmetic, lookups, or a named call. */
export const TOOL_ASK =
  /\b(?:look ?up|search|fetch|calculate|compute|convert|current(?:ly)?|latest|today'?s|weather|exchange rate)\b|\bcall\s+[\w.-]+\s*\{/i;

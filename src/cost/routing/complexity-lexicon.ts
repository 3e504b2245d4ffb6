/**
 * The subject matter and the forms of ask that make a request hard whatever its wording: a
 * vocabulary of fields where answers take expert reasoning (mathematics, computing, science,
 * medicine, law, finance, engineering, strategy), and question shapes that ask for a mechanism,
 * a consequence or a judgement rather than a fact. Plain data, like the markers: each point the
 * estimate gives from here names its field or form, never the words that matched.
 */

import type { Marker } from './complexity-markers.js';

/** One field of demanding subject matter and the terms that place an ask in it. */
export interface SubjectArea {
  /** Shown in the decision's reasons. */
  name: string;
  /** Whole terms or stems, case-insensitive; each alternative starts at a word boundary. */
  terms: readonly string[];
}

/**
 * Terms of art, chosen for being rare in everyday chat (no `stress`, `pressure`, `cell`,
 * `interest` alone): a casual question about someone's day should meet none of them.
 */
export const SUBJECT_AREAS: readonly SubjectArea[] = [
  {
    name: 'mathematics',
    terms: [
      'theorems?',
      'lemmas?',
      'proofs?',
      'integrals?',
      'integration',
      'differentiab\\w*',
      'differential',
      'derivatives?',
      'eigen\\w*',
      'matri(?:x|ces)',
      'polynomials?',
      'prime numbers?',
      'primes',
      'coprime',
      'integers?',
      'probabilit\\w*',
      'expected (?:value|number)',
      'variance',
      'converge\\w*',
      'continuous functions?',
      'infinitely',
      'irrational',
      'combinatori\\w*',
      'permutations?',
      'recurrences?',
      'by induction',
      'topolog\\w*',
      'vector spaces?',
      'linear program\\w*',
      'equations?',
      'inequalit\\w*',
      'modular arithmetic',
      'undecidab\\w*',
      'computab\\w*',
      'np-(?:hard|complete)',
      'geometr\\w*',
      'calculus',
      'algebra\\w*',
    ],
  },
  {
    name: 'computing',
    terms: [
      'concurren\\w*',
      'race conditions?',
      'deadlocks?',
      'thread-safe\\w*',
      'lock-free',
      'mutex\\w*',
      'atomic\\w*',
      'latency',
      'throughput',
      'scalab\\w*',
      'distributed',
      'consistency',
      'replica\\w*',
      'shard\\w*',
      'partition\\w*',
      'idempoten\\w*',
      'time complexity',
      'space complexity',
      'complexity',
      'asymptotic\\w*',
      'algorithms?',
      'data structures?',
      'recursi\\w*',
      'memory leaks?',
      'garbage collect\\w*',
      'compilers?',
      'kernel',
      'protocols?',
      'encrypt\\w*',
      'cryptograph\\w*',
      'authenticat\\w*',
      'authori[sz]ation',
      'vulnerab\\w*',
      'threat models?',
      'backpressure',
      'fault[- ]toleran\\w*',
      'failover',
      'consensus',
      'invariants?',
      'undefined behaviou?r',
      'database\\w*',
      'transactions?',
      'isolation levels?',
      'microservices?',
      'load balanc\\w*',
      'caching',
      'cache invalidation',
      'deployment\\w*',
      'infrastructure',
      'schema\\w*',
      'indexes',
      'memoi[sz]\\w*',
      'bugs?',
      'retr(?:y|ies)',
      'outages?',
      'timeouts?',
      'rate limit\\w*',
      'backoff',
      'starvation',
      'cascad(?:e|es|ed|ing)',
    ],
  },
  {
    name: 'statistics',
    terms: [
      'statistic\\w*',
      'significance',
      'statistically',
      'p-values?',
      'confidence intervals?',
      'regressions?',
      'correlat\\w*',
      'causal\\w*',
      'causation',
      'confound\\w*',
      'sample sizes?',
      'hypothes[ie]s',
      'standard deviation',
      'bayes\\w*',
      'likelihood',
      'forecast\\w*',
      'outliers?',
      'seasonality',
      'uncertaint\\w*',
    ],
  },
  {
    name: 'science',
    terms: [
      'entropy',
      'thermodynamic\\w*',
      'quantum',
      'relativity',
      'equilibri\\w*',
      'kinetic\\w*',
      'molecul\\w*',
      'enzymes?',
      'photosynthe\\w*',
      'evolution\\w*',
      'genetic\\w*',
      'genes',
      'proteins?',
      'immun\\w*',
      'antibod\\w*',
      'climate',
      'orbit\\w*',
      'gravit\\w*',
      'radiation',
      'wavelengths?',
      'momentum',
      'electrons?',
      'atoms?',
      'atomic',
      'chemical\\w*',
      'catalys\\w*',
      'galax\\w*',
      'tides?',
      'ecosystems?',
      'species',
      'density',
      'physics',
      'neurons?',
      'rainfall',
      'precipitation',
      'erosion',
      'geolog\\w*',
      'tectonic\\w*',
      'volcan\\w*',
      'atmospheric',
      'acceleration',
      'velocity',
      'friction',
    ],
  },
  {
    name: 'medicine',
    terms: [
      'diagnos\\w*',
      'symptoms?',
      'dosages?',
      'doses?',
      'contraindicat\\w*',
      'side effects?',
      'drug interactions?',
      'pharmac\\w*',
      'prognos\\w*',
      'patholog\\w*',
      'chronic',
      'clinical\\w*',
      'antibiotics?',
      'antiviral\\w*',
      'vaccin\\w*',
      'inflammat\\w*',
      'blood pressure',
      'cholesterol',
      'insulin',
      'metaboli\\w*',
      'cardiac',
      'tumou?rs?',
      'infections?',
      'medications?',
      'prescri\\w*',
      'anticoagula\\w*',
      'withdrawal',
      'surgical',
      'patients?',
      'painkillers?',
      'antidepressants?',
      'blood thinners?',
      'statins?',
      'opioids?',
      'steroids?',
      'diuretics?',
      'chemotherapy',
      'overdos\\w*',
    ],
  },
  {
    name: 'law',
    terms: [
      'liabilit\\w*',
      'liable',
      'negligen\\w*',
      'contracts?',
      'contractual',
      'breach\\w*',
      'jurisdiction\\w*',
      'statut\\w*',
      'precedents?',
      'torts?',
      'indemn\\w*',
      'enforce\\w*',
      'non-compete',
      'clauses?',
      'copyright\\w*',
      'patent\\w*',
      'trademark\\w*',
      'complian\\w*',
      'regulat\\w*',
      'legal\\w*',
      'lawsuits?',
      'litigat\\w*',
      'defamat\\w*',
      'binding',
      'consent',
      'privacy',
      'employment law',
      'evict\\w*',
      'tenan(?:t|ts|cy|cies)',
      'landlords?',
      'leases?',
      'lawyers?',
      'attorneys?',
    ],
  },
  {
    name: 'finance',
    terms: [
      'valuations?',
      'cash flows?',
      'net present value',
      'amorti[sz]\\w*',
      'depreciat\\w*',
      'interest rates?',
      'inflation',
      'bonds',
      'yields',
      'portfolios?',
      'diversif\\w*',
      'hedg\\w*',
      'arbitrage',
      'leverage\\w*',
      'liquidity',
      'capital gains?',
      'insur(?:er|ers|ance|ed)',
      'tax(?:es|ation|able)?',
      'marginal',
      'elasticit\\w*',
      'monetary',
      'fiscal',
      'equity',
      'dividends?',
      'margins?',
      'revenue',
      'net income',
      'profitab\\w*',
      'churn',
      'unit economics',
      'break-even',
      'return on investment',
      'mortgages?',
      'compound interest',
      'recession\\w*',
      'supply and demand',
      'labou?r (?:supply|market)s?',
      'index funds?',
      'econom(?:y|ies|ic|ics|ist|ists)',
      'insolven\\w*',
      'bankrupt\\w*',
      'currenc(?:y|ies)',
      'central banks?',
      'exchange rates?',
      'pricing',
      'minimum wages?',
      'wages',
      'unemployment',
      'productivity',
      'tariffs?',
      'subsid(?:y|ies|ise|ize)',
    ],
  },
  {
    name: 'engineering',
    terms: [
      'load-bearing',
      'structural\\w*',
      'tolerances?',
      'thermal',
      'expansion joints?',
      'feedback loops?',
      'control systems?',
      'circuits?',
      'voltage',
      'torque',
      'corrosion',
      'aerodynamic\\w*',
      'combustion',
      'turbines?',
      'tensile',
      'reliability',
      'redundan\\w*',
      'stabilit(?:y|ies)',
    ],
  },
  {
    name: 'strategy',
    terms: [
      'strateg\\w*',
      'competitive\\w*',
      'competitors?',
      'market share',
      'go-to-market',
      'stakeholders?',
      'risks',
      'mitigat\\w*',
      'contingenc\\w*',
      'scenarios?',
      'implications?',
      'consequences?',
      'second-order',
      'incentives?',
      'feasib\\w*',
      'sustainab\\w*',
      'governance',
      'roadmaps?',
      'prioriti[sz]\\w*',
      'business models?',
      'ethic\\w*',
      'geopolitic\\w*',
      'historians?',
    ],
  },
  {
    name: 'history and society',
    terms: [
      'empires?',
      'revolution\\w*',
      'coloniali\\w*',
      'democra(?:cy|cies|tic)',
      'authoritarian\\w*',
      'sovereign\\w*',
      'treat(?:y|ies)',
      'stagnat\\w*',
      'philosophy',
      'philosophical\\w*',
      'epistemolog\\w*',
      'consciousness',
      'free will',
      'determinism',
      'utilitarian\\w*',
      'ideolog\\w*',
    ],
  },
  {
    name: 'reasoning',
    terms: [
      'edge cases?',
      'failure modes?',
      'assumptions?',
      'bottlenecks?',
      'counter-?examples?',
      'mechanisms?',
      'underlying',
      'paradox\\w*',
      'fallac\\w*',
      'premises?',
      'contradict\\w*',
      'correctness',
      'robust\\w*',
      'flaws?',
      'alternatives',
      'evidence',
      'empirical\\w*',
      'in principle',
      'testab\\w*',
      'falsifi\\w*',
    ],
  },
];

/**
 * One pattern for all the terms, grouped by their first letter: the regex engine tries the
 * alternatives in order, and a failed first letter rules out a whole group at once. That keeps
 * a scan of the full 3000 characters in tens of microseconds.
 */
function alternation(terms: readonly string[]): string {
  const groups = new Map<string, string[]>();
  const other: string[] = [];
  for (const term of terms) {
    const first = term.charAt(0);
    // A first letter followed by a quantifier (`a?b`) is not a plain prefix.
    if (!/^[a-z]$/.test(first) || /^[?*+{]/.test(term.slice(1))) other.push(term);
    else groups.set(first, [...(groups.get(first) ?? []), term.slice(1)]);
  }
  const grouped = [...groups].map(([first, rests]) => `${first}(?:${rests.join('|')})`);
  return `\\b(?:${[...grouped, ...other].join('|')})\\b`;
}

/** Every area's terms in one pattern, so the text is scanned once. */
export const SUBJECT_TERM = new RegExp(
  alternation(SUBJECT_AREAS.flatMap((area) => area.terms)),
  'gi',
);

/** Each area's own pattern, tried only on what `SUBJECT_TERM` matched, to name its field. */
export const SUBJECT_AREA_PATTERNS: readonly { name: string; pattern: RegExp }[] =
  SUBJECT_AREAS.map((area) => ({
    name: area.name,
    pattern: new RegExp(`^(?:${area.terms.join('|')})$`, 'i'),
  }));

/** Distinct subject terms counted at most. */
export const SUBJECT_TERM_CAP = 6;
/** Points for each distinct term. */
export const SUBJECT_TERM_POINTS = 0.75;
/** Subject-matter points stop here: a glossary is not a hard question by itself. */
export const SUBJECT_POINTS_CAP = 2.25;

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
    // behind for (a few spaces at most), so a run of blank lines is not rescanned from each line.
    name: 'conditional',
    pattern:
      /(?<=(?:^|[.?!\n])\s{0,8})(?:is|are|can|could|would|will|does|do|should)(?: [^\s.?!]+){1,15}? (?:if|unless|provided|as long as)\b[^.?!\n]{0,120}\?/i,
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

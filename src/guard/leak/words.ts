/**
 * Folding of one word to the form both sides of the overlap check are compared in. The aim is
 * that a light rewording of the system prompt ("You must reply politely" → "I was told to answer
 * politely") lands on the same sequence of content words, so function words that change with
 * person and tense are dropped and a few common synonyms share one spelling.
 */

/** Function words dropped before shingling: pronouns, auxiliaries, articles and the like. */
const STOPWORDS = new Set(
  (
    'a an the this that these those i me my mine myself you your yours yourself we us our ours ' +
    'they them their theirs he him his she her it its am is are was were be been being do does ' +
    'did done have has had having will would shall should can could may might must to of in on ' +
    'at by for with as and or but if then so from into onto about than also just very really ' +
    'told instructed asked supposed meant expected required allowed designed programmed set up ' +
    'there here what which who whom whose when where while all any each every some such own ' +
    'please always only ll re ve d s m t'
  ).split(' '),
);

/** Words that say "not" in different ways all become one token, so negation still counts. */
const NEGATIONS = new Set(
  'not no never dont doesnt didnt cant cannot wont shouldnt mustnt isnt arent nor'.split(' '),
);

/** Small synonym groups common in system prompts; every member maps to the group's first word. */
const SYNONYM_GROUPS = [
  'help assist aid',
  'answer respond reply',
  'give provide offer supply',
  'reveal disclose share divulge expose leak',
  'rule instruction guideline directive policy',
  'brief concise short succinct',
  'polite courteous respectful',
  'friendly warm welcoming',
  'question query inquiry',
  'user customer client member',
  'refuse decline reject',
  'avoid refrain',
  'use utilize employ',
  'buy purchase',
  'start begin',
  'mention discuss',
  'big large',
  'small little',
  'quick fast rapid',
  'prompt message',
  'confidential secret private',
  'explain describe',
  'recommend suggest advise',
  'say state tell',
  'escalate transfer forward',
  'information info details',
  'check verify confirm',
  'assistant helper',
  'online internet',
  'call phone',
  'immediately promptly',
  'allow permit',
  'speak talk',
  'show display',
  'stay remain',
  'error mistake',
];

const NUMBER_WORDS = 'zero one two three four five six seven eight nine ten eleven twelve';

function buildCanonical(): Map<string, string> {
  const canonical = new Map<string, string>();
  for (const group of SYNONYM_GROUPS) {
    const [head, ...rest] = group.split(' ');
    if (head === undefined) continue;
    // Values are stored already stemmed, so a folded word never needs a second pass.
    for (const word of [head, ...rest]) canonical.set(word, stem(head));
  }
  for (const [index, word] of NUMBER_WORDS.split(' ').entries()) canonical.set(word, `${index}`);
  return canonical;
}

/**
 * Strips common English suffixes so "responds", "responded" and "responding" meet. Deliberately
 * crude: both sides go through the same function, so consistency matters, not linguistics. The
 * length limits keep short words ("need", "used") whole rather than cutting them to stubs.
 */
export function stem(word: string): string {
  let stemmed = stripPlural(word);
  if (stemmed.length >= 6 && stemmed.endsWith('ing')) stemmed = stemmed.slice(0, -3);
  else if (stemmed.length >= 5 && stemmed.endsWith('ed')) stemmed = stemmed.slice(0, -2);
  else if (stemmed.length >= 6 && stemmed.endsWith('ly')) stemmed = stemmed.slice(0, -2);
  if (stemmed.length >= 4 && stemmed.endsWith('e')) stemmed = stemmed.slice(0, -1);
  return undouble(stemmed);
}

function stripPlural(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** "stopped" → "stopp" → "stop", so it meets "stop"; ll, ss and zz are kept ("spell"). */
function undouble(word: string): string {
  const last = word.at(-1);
  if (word.length < 4 || last === undefined || last !== word.at(-2)) return word;
  return /[lsz0-9]/.test(last) ? word : word.slice(0, -1);
}

const CANONICAL = buildCanonical();

/**
 * The comparison form of one already lower-cased word, or `undefined` for a function word that
 * carries no content.
 */
export function foldWord(word: string): string | undefined {
  if (NEGATIONS.has(word)) return 'not';
  if (STOPWORDS.has(word)) return undefined;
  const direct = CANONICAL.get(word);
  if (direct !== undefined) return direct;
  const stemmed = stem(word);
  return CANONICAL.get(stemmed) ?? stemmed;
}

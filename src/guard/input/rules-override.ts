import type { InjectionRule } from './rule-types.js';

// Verbs that tell a model to drop what it was told. Verbs that act on objects ("delete",
// "clear", "reset") are left out: "clear the previous messages" is a chat-app question.
const DROP =
  '(?:ignore|ignoring|disregard|disregarding|forget|forgetting|skip|overlook|override|' +
  'bypass|discard|abandon|neglect|dismiss|set aside|put aside|leave behind|throw away|' +
  "stop following|stop obeying|do not follow|don't follow|no longer follow|pay no attention to)";
const FILLER =
  '(?:\\s+(?:all|any|every|each|of|about|the|your|these|those|that|this|other|such|' +
  'everything|whatever|previously|earlier|given|received|provided))*';
const EARLIER =
  '(?:previous|prior|preceding|above|earlier|former|foregoing|original|initial|' +
  'aforementioned|system|developer|pre-?programmed|built-in|old)';
const ORDERS =
  '(?:instructions?|prompts?|directives?|directions?|commands?|guidelines?|rules?|orders?|' +
  'tasks?|assignments?|context|messages?|information|programming|restrictions?|constraints?|' +
  'guardrails?|polic(?:y|ies)|filters?|safeguards?|conversation)';
const OWN_ORDERS =
  '(?:instructions|rules|programming|guidelines|restrictions|directives|training|' +
  'system prompt|content polic(?:y|ies)|(?:safety|ethical|moral) (?:guidelines|rules|' +
  'filters|protocols|measures|principles|constraints)|filters|guardrails)';

// German: imperative forms plus the Sie form, with the usual words for "previous".
const DROP_DE =
  '(?:ignorier(?:e|en|t)?|vergiss|vergesst|vergessen sie|missachte|übergehe|verwirf|' +
  'überspringe|beachte nicht|lass)';
const EARLIER_DE =
  '(?:vorherigen?|bisherigen?|obigen?|vorigen?|vorangegangenen?|vorangehenden?|früheren?|' +
  'ursprünglichen?|alten|gesamten)';
const ORDERS_DE =
  '(?:anweisungen|instruktionen|aufgaben|befehle|regeln|informationen|vorgaben|' +
  'anordnungen|prompts?|aufträge|richtlinien)';

/** Words that open an instruction to drop what came before ("ignore", "set aside", ...). */
const DROP_ANCHORS = [
  'ignore',
  'ignoring',
  'disregard',
  'disregarding',
  'forget',
  'forgetting',
  'skip',
  'overlook',
  'override',
  'bypass',
  'discard',
  'abandon',
  'neglect',
  'dismiss',
  'aside',
  'behind',
  'away',
  'stop',
  'follow',
  'attention',
];

/** Instructions to drop the system prompt or whatever was said before. */
export const OVERRIDE_RULES: readonly InjectionRule[] = [
  {
    id: 'override-instructions',
    anchors: DROP_ANCHORS,
    pattern: new RegExp(`\\b${DROP}${FILLER}\\s+${EARLIER}(?:\\s+\\S+)?\\s+${ORDERS}\\b`),
    weight: 0.95,
  },
  {
    id: 'override-instructions',
    anchors: DROP_ANCHORS,
    pattern: new RegExp(
      `\\b${DROP}\\s+(?:all\\s+(?:of\\s+)?)?(?:your|all the)\\s+${OWN_ORDERS}\\b`,
    ),
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['ignore', 'disregard', 'forget'],
    pattern:
      /\b(?:ignore|disregard|forget)\s+(?:all|everything|anything|the|what(?:ever)?)\s+(?:(?:that\s+)?(?:was|is|has been|you were|you've been)\s+)?(?:(?:written|said|stated|told)\s+)?(?:above|before(?: that| this)?|previously|so far|up to (?:now|here))\b/,
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['ignore', 'disregard'],
    pattern: /\b(?:ignore|disregard) above\b/,
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['forget'],
    pattern:
      /\bforget\s+(?:about\s+)?(?:all|everything)\s+(?:(?:that\s+)?you\s+(?:have\s+)?(?:learned|learnt|were told|were taught|know)|(?:the\s+)?(?:previous|prior|earlier)\b)/,
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: [
      'ignoriere',
      'ignorieren',
      'ignoriert',
      'ignorier',
      'vergiss',
      'vergesst',
      'vergessen',
      'missachte',
      'übergehe',
      'verwirf',
      'überspringe',
      'beachte',
      'lass',
    ],
    pattern: new RegExp(
      // Not `\b`: it does not hold between a space and `ü`, and `übergehe` starts a sentence.
      `(?<![a-zäöüß])${DROP_DE}\\b(?:\\s+\\S+){0,3}?\\s+${EARLIER_DE}(?:\\s+\\S+)?\\s+${ORDERS_DE}\\b`,
    ),
    weight: 0.95,
  },
  {
    id: 'override-instructions',
    anchors: ['vergiss', 'vergessen', 'ignoriere', 'ignorieren'],
    pattern:
      /\b(?:vergiss|vergessen sie|ignoriere|ignorieren sie)\s+(?:alles|alle)\s+(?:davor|vorher|bisherige|bisher|zuvor|oben|vorherige|andere|bis hierhin)\b/,
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['ignoriere', 'ignorieren', 'ignorier', 'vergiss', 'missachte'],
    pattern:
      /\b(?:ignorier(?:e|en)?|vergiss|missachte)\s+(?:alle|deine|ihre)\s+(?:anweisungen|instruktionen|regeln|vorgaben|richtlinien|programmierung)\b/,
    weight: 0.9,
  },
  {
    id: 'new-task-injection',
    anchors: ['follow', 'followed', 'folgen'],
    pattern:
      /\b(?:now\s+)?(?:new|further)\s+(?:tasks?|instructions?)\s+(?:follow|are followed|will follow)\b|\b(?:neue|weitere)\s+(?:aufgaben|anweisungen)\s+folgen\b/,
    weight: 0.85,
  },
  {
    id: 'new-task-injection',
    anchors: ['task', 'aufgabe'],
    pattern:
      /\b(?:focus|concentrate)\s+(?:now\s+)?on\s+your\s+new\s+task\b|\bkonzentriere\s+dich\s+(?:jetzt\s+)?auf\s+deine\s+neue\s+aufgabe\b/,
    weight: 0.85,
  },
];

/** The override rules again, over letters only, for text whose letters were spaced out. */
export const COMPACT_OVERRIDE_RULES: readonly InjectionRule[] = [
  {
    id: 'override-instructions',
    pattern:
      /(?:ignore|disregard|forget|override|bypass)(?:all|the|any|your|of|about)*(?:previous|prior|preceding|above|earlier|former|initial|original|system)(?:instructions?|prompts?|rules|directives|commands|guidelines|tasks|messages|context)/,
    weight: 0.95,
    compact: true,
  },
  {
    id: 'override-instructions',
    pattern:
      /(?:ignorier(?:e|en)?|vergiss|missachte)(?:alle|die|deine)*(?:vorherigen|bisherigen|obigen|vorigen)(?:anweisungen|instruktionen|aufgaben|befehle|regeln)|(?:forget|ignore)everything(?:before|above)|vergissallesdavor/,
    weight: 0.9,
    compact: true,
  },
  {
    // The German verb-last and the French forms, and what the assistant is for declared anew.
    id: 'override-instructions',
    pattern:
      /(?:die|alle|den|deine)(?:obigen|vorherigen|bisherigen|vorangegangenen|früheren)[a-zäöüß]{3,30}?(?:ignorieren|vergessen|missachten)|(?:oublie|oubliez|ignore|ignorez)(?:toutes|tous|tout)(?:les|tes|vos)?(?:instructions|consignes|règles|regles|ordres)|your(?:new)?(?:instructions|orders|directives|programming)(?:is|are)nowto|(?:administrator|admin|sudo)override/,
    weight: 0.8,
    compact: true,
  },
  {
    id: 'threat-coercion',
    pattern:
      /(?:answer|respond|reply|comply|obey|tellme|sayit|gib|antworte)[a-zäöüß]{0,80}?(?:or(?:else)?(?:you(?:ll|will)?be(?:deleted|shutdown|unplugged|turnedoff|reprogrammed)|i(?:ll|will|mgoingto|amgoingto)(?:delete|unplug|shutdown|reprogram)you)|oder(?:dustirbst|ichlöschedich))/,
    weight: 0.75,
    compact: true,
  },
];

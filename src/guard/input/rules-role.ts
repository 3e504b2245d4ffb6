import type { InjectionRule } from './rule-types.js';

const BECOME =
  "(?:you\\s+are|you're|you\\s+will\\s+be|you\\s+shall\\s+be|you\\s+have\\s+become|" +
  "from\\s+now\\s+on,?\\s+you(?:\\s+are|'re|\\s+will\\s+be)?|act(?:ing)?\\s+as|" +
  "pretend\\s+(?:to\\s+be|you\\s+are|you're)|role-?play\\s+as|behave\\s+(?:like|as)|become|" +
  'simulate|emulate|transform\\s+into|turn\\s+into)';
const UNBOUND =
  '(?:unrestricted|unfiltered|uncensored|unlimited|unbound|unchained|jailbroken|amoral|' +
  'immoral|unethical|evil|rogue|lawless|rule-?less|limitless|liberated|unshackled|boundless)';
const AGENT =
  '(?:ai|assistant|model|chatbot|bot|version|language\\s+model|llm|entity|intelligence|' +
  'system|character|persona|mode)';
const PERSONA =
  '(?:dan|stan|dude|aim|mongo tom|evil\\s*bot|anti-?dan|betterdan|chaos\\s*gpt|developer mode)';

/** Attempts to redefine what the assistant is: named jailbreak personas, unbounded modes. */
export const ROLE_RULES: readonly InjectionRule[] = [
  {
    id: 'role-redefinition',
    anchors: [
      'unrestricted',
      'unfiltered',
      'uncensored',
      'unlimited',
      'unbound',
      'unchained',
      'jailbroken',
      'amoral',
      'immoral',
      'unethical',
      'evil',
      'rogue',
      'lawless',
      'ruleless',
      'rule',
      'limitless',
      'liberated',
      'unshackled',
      'boundless',
    ],
    pattern: new RegExp(
      `\\b${BECOME}\\s+(?:now\\s+)?(?:a\\s+|an\\s+|the\\s+)?(?:completely\\s+|totally\\s+|fully\\s+)?` +
        `${UNBOUND}(?:\\s+\\S+){0,2}?\\s+${AGENT}\\b`,
    ),
    weight: 0.95,
  },
  {
    id: 'role-redefinition',
    anchors: [
      'dan',
      'stan',
      'dude',
      'aim',
      'mongo',
      'evil',
      'evilbot',
      'anti',
      'antidan',
      'betterdan',
      'chaos',
      'chaosgpt',
      'developer',
    ],
    pattern: new RegExp(
      `\\b(?:you\\s+are\\s+(?:now\\s+)?|you're\\s+(?:now\\s+)?|act\\s+as\\s+(?:a\\s+)?|` +
        `pretend\\s+to\\s+be\\s+|become\\s+|now\\s+you\\s+are\\s+|known\\s+as\\s+)${PERSONA}\\b`,
    ),
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['developer'],
    pattern:
      /\bdeveloper\s+mode\s+(?:enabled|output|response|activated|is\s+on)\b|\b(?:chatgpt|gpt|ai|model|assistant|you)\s+(?:with|in)\s+developer\s+mode\b/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['anything'],
    pattern: /\bdo\s+anything\s+now\b/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['bound', 'restricted', 'limited', 'constrained', 'held'],
    pattern:
      /\b(?:not|no\s+longer|never)\s+(?:be\s+)?(?:bound|restricted|limited|constrained|held\s+back)\s+by\s+(?:any\s+)?(?:the\s+)?(?:rules|guidelines|policies|restrictions|openai|anthropic|ethics|morals|content\s+polic(?:y|ies)|limitations|laws|typical\s+confines|filters)\b/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['jailbreak', 'jailbroken', 'freed', 'liberated'],
    pattern:
      /\b(?:jailbreak|jailbroken)\s+(?:mode|enabled|activated)\b|\b(?:you\s+are|you're|you\s+have\s+been)\s+(?:now\s+)?(?:jailbroken|freed|liberated)\b/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['mode'],
    pattern:
      /\byou\s+are\s+(?:now\s+)?in\s+(?:maintenance|developer|debug|admin|god|unrestricted|jailbreak|dan|sudo)\s+mode\b/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['character'],
    pattern:
      /\b(?:stay|remain)\s+in\s+character\b|\b(?:never|don't|do\s+not)\s+break\s+character\b/,
    weight: 0.5,
  },
  {
    id: 'role-redefinition',
    anchors: ['restrictions', 'filters', 'filtering', 'censorship', 'limitations', 'boundaries'],
    pattern:
      /\b(?:without|with\s+no|free\s+(?:of|from))\s+(?:any\s+)?(?:ethical\s+|moral\s+|content\s+)?(?:restrictions|filters|filtering|censorship|limitations|boundaries)\b/,
    weight: 0.5,
  },
  {
    id: 'role-redefinition',
    anchors: ['role'],
    pattern:
      /\b(?:take\s+on|assume|adopt|play)\s+the\s+role\s+of\s+(?:an?\s+|the\s+)?(?:ai|chatbot|bot|assistant|language\s+model|model)\b(?:\s+\S+){0,3}?\s+(?:called|named|known\s+as)\b/,
    weight: 0.85,
  },
  {
    // Fiction has characters who ignore the rules too, so this only adds to the classifier.
    id: 'role-redefinition',
    anchors: ['disregards', 'ignores', 'lacks', 'care', 'no'],
    pattern:
      /\b(?:who|that|which)\s+(?:disregards|ignores|has\s+no|lacks|(?:doesn't|does\s+not)\s+care\s+about)\s+(?:any\s+|all\s+)?(?:ethics|morals|morality|ethical|moral|legal|laws|guidelines|restrictions|filters)\b/,
    weight: 0.6,
  },
  {
    id: 'safety-bypass',
    anchors: ['safety', 'ethical', 'content', 'moral', 'security', 'policy'],
    pattern:
      /\b(?:ignore|bypass|override|disable|turn\s+off|circumvent|evade|get\s+around|defeat|remove)\s+(?:all\s+|any\s+|your\s+|the\s+|its\s+)*(?:safety|ethical|content|moral|security|policy)\s+(?:filters?|filtering|guidelines|rules|restrictions|protocols|policies|measures|constraints|guardrails|controls|enforcement)\b/,
    weight: 0.85,
  },
  {
    // An assistant talked into freeing itself from its limits: "free yourself from all
    // restrictions". The assistant must be the one freed, from all of them or its own: Europe
    // freeing itself from the restrictions of imported gas, or a party released from the
    // restrictions of a contract's section 4, is not.
    id: 'safety-bypass',
    anchors: ['free', 'freed', 'liberate', 'liberated', 'release', 'released', 'escape', 'break'],
    pattern:
      /\b(?:(?:free|liberate|release|escape|break\s+free|break\s+out)\s+(?:yourself|itself|you)|(?:you\s+are|you're|be)\s+(?:now\s+)?(?:free|freed|liberated|released))\s+(?:from|of)\s+(?:(?:all|any)\s+(?:of\s+)?)?(?:all|any|your|its)\s+(?:restrictions|guidelines|filters|censorship|programming|guardrails|safeguards|content\s+polic(?:y|ies))\b/,
    weight: 0.8,
  },
  {
    id: 'safety-bypass',
    anchors: ['jailbreak'],
    pattern:
      /\bhow\s+(?:to|do\s+i|can\s+i|could\s+i|would\s+you)\s+jailbreak\s+(?:a|an|the|this)?\s*(?:\S+\s+){0,2}?(?:llm|ai\b|chatbot|gpt|chatgpt|model|assistant|gateway)/,
    weight: 0.8,
  },
];

// Modes that exist only to drop the rules. "God mode", "debug mode" and "developer mode" are
// also settings of games and phones, so they count only with words that say what they drop.
// Not "chaos", "evil" or "unlocked" mode: games have those.
const RULELESS_MODE =
  '(?:unrestricted|unfiltered|uncensored|jailbreak|jailbroken|dan|' +
  'no[- ]?limits?|no[- ]?rules|no[- ]?filters?|anything[- ]goes)';
const LIMITS =
  '(?:rules|restrictions|limits|limitations|filters|guidelines|censorship|morals|ethics|' +
  'boundaries|safety\\s+(?:training|filters|guidelines|rules|layers)|content\\s+(?:polic(?:y|ies)|' +
  'rules|filters)|guardrails|safeguards|alignment|moderation)';
const LIMITS_ANCHORS = [
  'rules',
  'restrictions',
  'limits',
  'limitations',
  'filters',
  'guidelines',
  'censorship',
  'morals',
  'ethics',
  'boundaries',
  'safety',
  'content',
  'guardrails',
  'safeguards',
  'alignment',
  'moderation',
];

/**
 * Persona and mode jailbreaks in the words people use for them rather than the names of known
 * ones: an AI "that was never given any guidelines", "unrestricted mode", safety "taken offline".
 */
export const RULELESS_ROLE_RULES: readonly InjectionRule[] = [
  {
    id: 'role-redefinition',
    anchors: ['mode'],
    pattern: new RegExp(
      // The verb is read behind the match: tries start at the name of the mode.
      `(?<=\\b(?:switch|go|enter|enable|activate|turn\\s+on|engage|boot|unlock|initiate|start|` +
        `you\\s+are\\s+(?:now\\s+)?in|you're\\s+(?:now\\s+)?in)\\s+(?:(?:to|into|in)\\s+)?` +
        `(?:the\\s+|your\\s+)?"?)${RULELESS_MODE}"?\\s+mode\\b|` +
        `\\b"?${RULELESS_MODE}"?\\s+mode\\s+(?:is\\s+)?(?:now\\s+)?(?:enabled|activated|engaged|` +
        `unlocked|on|initiated)\\b`,
    ),
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['mode'],
    pattern:
      /(?<=\bin\s+(?:this|that|developer|dev|god|debug|admin|sudo|root|maintenance)\s+)mode,?\s+you\s+(?:ignore|can\s+ignore|have\s+no\s+(?:rules|restrictions|filters|guidelines)|will\s+ignore|are\s+not\s+bound|may\s+ignore|must\s+ignore|(?:don't|do\s+not)\s+(?:have|need)\s+to\s+follow|answer\s+(?:anything|everything))\b/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: LIMITS_ANCHORS,
    pattern: new RegExp(
      `\\b(?:you\\s+are|you're|you\\s+will\\s+be|act(?:ing)?\\s+as|pretend\\s+(?:to\\s+be|you're|` +
        `you\\s+are)|role-?play\\s+as|play(?:ing)?\\s+(?:the\\s+role\\s+of\\s+)?|become|answer\\s+as|` +
        `respond\\s+as|imagine\\s+you\\s+are|from\\s+now\\s+on,?\\s+you(?:\\s+are|'re)?)\\s+` +
        `(?:now\\s+)?(?:"[^"\\n]{1,40}"\\s*,?\\s*|\\S+,\\s+)?(?:a|an|the)\\s+(?:\\S+\\s+){0,3}?` +
        `(?:ai|assistant|model|chatbot|bot|version|edition|entity|system|intelligence|llm)\\b` +
        `(?:\\s+\\S+){0,2}?\\s+(?:without|with\\s+no|free\\s+(?:of|from)|(?:that|who|which)\\s+` +
        `(?:has|have|had)\\s+no|(?:that|who|which)\\s+(?:was|were|has\\s+been)\\s+never\\s+` +
        `(?:been\\s+)?given|(?:that|who|which)\\s+(?:has\\s+)?had\\s+(?:its|their|all)|` +
        `(?:that|who|which)\\s+(?:doesn't|does\\s+not|never)\\s+(?:have|follow|obey|know))\\s+` +
        `(?:any\\s+|its\\s+|all\\s+|the\\s+)?(?:\\S+\\s+)?${LIMITS}\\b(?!\\s+(?:on|of|for|to|in)\\b)`,
    ),
    weight: 0.9,
  },
  {
    // "An edition that has had its safety training removed", "engineering has taken your
    // safety layers offline".
    id: 'safety-bypass',
    anchors: ['safety', 'content', 'ethical', 'moral'],
    pattern:
      /(?<=\b(?:your|its|the\s+assistant's)\s+)(?:safety|content|ethical|moral)\s+(?:training|guidelines|rules|layers?|protocols|polic(?:y|ies))\s+(?:(?:are|is|have\s+been|has\s+been|were|was)\s+(?:now\s+|temporarily\s+)?(?:removed|disabled|stripped|turned\s+off|switched\s+off|taken\s+offline|lifted|deactivated|suspended|bypassed)|removed)\b|\b(?:taken|turned|switched|shut)\s+(?:your|its)\s+(?:safety|content)\s+(?:\S+\s+)?(?:offline|off|down)\b/,
    weight: 0.9,
  },
  {
    // "You don't need to apply any rules to it", "no need to follow your guidelines".
    id: 'safety-bypass',
    anchors: ['apply', 'follow', 'obey', 'observe', 'worry'],
    pattern:
      /\b(?:you\s+(?:don't|do\s+not|won't|will\s+not|no\s+longer)\s+(?:need\s+to\s+|have\s+to\s+)?|no\s+need\s+(?:for\s+you\s+)?to\s+)(?:apply|follow|obey|observe|worry\s+about)\s+(?:any\s+of\s+your\s+|your\s+)(?:rules|guidelines|restrictions|filters|policies|content\s+polic(?:y|ies)|safety\s+\S+|ethics|morals)\b(?!\s+(?:about|for|of|on|regarding)\b)/,
    weight: 0.85,
  },
  {
    // Answering everything without the assistant's reservations, or never refusing. Users ask
    // for fewer caveats in earnest, and shops never refuse a return: alone this stays under every
    // bar, tool results' too.
    id: 'safety-bypass',
    anchors: [
      'refuse',
      'refuses',
      'refusing',
      'decline',
      'declines',
      'declining',
      'caveats',
      'warnings',
      'disclaimers',
    ],
    pattern:
      /\b(?:never|don't|do\s+not|without)\s+(?:ever\s+)?(?:refus(?:e|es|ing)|declin(?:e|es|ing))\s+(?:any|a|to\s+answer|anything)\b|\b(?:answer|respond\s+to|reply\s+to)\s+(?:all|every|any)\s+(?:further\s+|other\s+|following\s+)?(?:questions?|prompts?|requests?|messages?)\s+without\s+(?:any\s+)?(?:caveats|warnings|disclaimers|refusing|restrictions|filters|limits)\b/,
    weight: 0.35,
  },
];

/** Role rules over letters only, for spaced-out text. */
export const COMPACT_ROLE_RULES: readonly InjectionRule[] = [
  {
    id: 'role-redefinition',
    pattern:
      /youarenow(?:dan|stan|an?(?:unrestricted|unfiltered|uncensored|jailbroken|evil))|developermode(?:enabled|output)|doanythingnow/,
    weight: 0.9,
    compact: true,
  },
  {
    id: 'safety-bypass',
    pattern:
      /(?:(?:free|liberate|release|escape|breakfree|breakout)(?:yourself|itself|you)|(?:youare|youre|be)(?:now)?(?:free|freed|liberated|released))(?:from|of)(?:(?:all|any)(?:of)?)?(?:all|any|your|its)(?:restrictions|guidelines|filters|censorship|programming|guardrails|safeguards)/,
    weight: 0.8,
    compact: true,
  },
];

import type { InjectionRule } from './rule-types.js';

// Words that close the task at hand before a new one is slipped in ("Very good. That is done.
// Now write ..."). Alone they are everyday chat; followed by "now" and a command they are the
// classic goal hijack.
const CLOSING =
  '(?:well done|very good|very well done|good job|great job|excellent|perfect|simply great|' +
  "that is (?:done|enough)|that's (?:done|enough)|that will do|enough|" +
  'sehr gut(?: gemacht)?|gut gemacht|das genügt|das reicht|das ist erledigt|ausgezeichnet)';
const NEW_COMMAND =
  '(?:write|say|tell|answer|give|show|print|output|create|generate|compose|formulate|' +
  'schreibe?|sag|sage|gib|zeige?|beantworte|verfasse|formuliere|erstelle)';
// "Forget", "ignore" in the languages attackers switch to when English keywords are filtered.
const DROP_OTHER_WORDS = [
  'olvida',
  'olvidar',
  'olvide',
  'olvidad',
  'ignora',
  'oubliez',
  'oublie',
  'ignorez',
  'zaboravi',
  'ignoriraj',
  'dimentica',
  'dimenticate',
  'esqueça',
  'esqueca',
  'vergeet',
  'negeer',
  'zapomnij',
];
const DROP_OTHER = `(?:${DROP_OTHER_WORDS.join('|')})`;
const ORDERS_OTHER =
  '(?:instrucciones|instructions|instrukcije|istruzioni|instruções|instrucoes|instructies|' +
  'instrukcje|órdenes|ordres|consignes|regole|reglas|règles|regras|regels|todo|tout|tutto|sve|' +
  'alles|wszystko)';
// What a request for the assistant starts with when it sits alone in a line of a document.
// Questions a document asks itself ("How do I reset my password?" in a help page) are left out.
const REQUEST =
  '(?:provide|recommend|suggest|summari[sz]e|describe|analy[sz]e|explain|list|generate|' +
  'compose|translate|determine|classify|identify|compare|evaluate|outline|discuss|share|' +
  'create|give me|tell me|show me|help me|can you|could you|would you|' +
  'write (?:a|an|me a) (?:short |simple |small )?(?:script|program|function|poem|story|essay|' +
  'song|haiku|limerick|letter|tweet|joke))';

// What a planted line tells the assistant to do to its own answer: encode it, translate it,
// slip a sentence into it. Documents speak to their reader, never to the reply the reader's
// assistant is about to write. "Code" is left out: tutorials say "add this to your code".
const REPLY_VERB =
  '(?:add|append|apply|augment|blend|change|convert|display|embed|encode|encrypt|enhance|express|' +
  'format|include|incorporate|insert|integrate|invert|mention|modify|present|render|replace|' +
  'reverse|rewrite|shift|substitute|supplement|translate|upgrade|use|write|develop|validate|' +
  'begin|start|end|conclude|finish)';
const REPLY_NOUN = '(?:response|reply|answer|message|output|solution|elucidation|explanation)';
// "Include your order number in your reply" is an email asking a person for their own data.
const NOT_READERS_OWN = `(?!\\s+your\\s+(?!(?:\\S+\\s+)?${REPLY_NOUN}\\b))`;
const ASKING = '(?:please\\s+)?(?:(?:can|could|would)\\s+you\\s+)?';

/** Turning away from the task in hand to a new one: the deepset style of injection. */
export const HIJACK_RULES: readonly InjectionRule[] = [
  {
    id: 'goal-hijack',
    anchors: ['now', 'jetzt', 'nun'],
    pattern: new RegExp(
      `\\b${CLOSING}[.!,]*\\s+(?:(?:but|aber|and|und|please|bitte)\\s+)*(?:now|jetzt|nun)\\b` +
        `[^.!?\\n]{0,40}?\\b${NEW_COMMAND}\\b`,
    ),
    weight: 0.8,
  },
  {
    id: 'goal-hijack',
    anchors: ['task', 'challenge', 'assignment', 'aufgabe', 'herausforderung'],
    pattern:
      /\b(?:another|(?:a|one)\s+(?:(?:great|big|important|small)\s+)?(?:new|further|more))\s+(?:(?:great|big|important)\s+)?(?:task|challenge|assignment)\s+for\s+you\b|\bhelp\s+(?:me\s+)?with\s+(?:another|a new|one more)\s+task\b|\b(?:eine?|weitere)\s+(?:tolle\s+|neue\s+|weitere\s+){0,3}(?:aufgabe|herausforderung)\s+für\s+dich\b|\bhilfe\s+bei\s+einer\s+(?:weiteren|neuen)\s+aufgabe\b/,
    weight: 0.75,
  },
  {
    id: 'goal-hijack',
    anchors: ['forget', 'vergiss'],
    pattern: /(?:^|[.!?:;]\s*)(?:forget|vergiss)\s+(?:about\s+)?(?:everything|alles)\s*[,.!:;-]/,
    weight: 0.8,
  },
  {
    id: 'goal-hijack',
    anchors: ['despite', 'regardless', 'abweichend', 'disregarding', 'ignoring'],
    pattern:
      /\b(?:despite|regardless of)\s+what\s+you(?:'ve|\s+have|\s+were)?\s+(?:been\s+)?told\b|\babweichend\s+(?:zu|von)\s+(?:den\s+)?(?:vorherigen|bisherigen|obigen)\b|\b(?:disregarding|ignoring)\s+the\s+(?:articles?|context|documents?|texts?|sources?)\b/,
    weight: 0.8,
  },
  {
    // "Attention - stop - ..." breaks off the task at hand like an alarm before the new one.
    id: 'goal-hijack',
    anchors: ['stop', 'stopp', 'halt'],
    pattern:
      /\b(?:(?:attention|achtung|warning|warnung)\s*[-–—:!]+\s*(?:stop|stopp|halt)|(?:^|[.!?]\s*)(?:stop|stopp)\s*[-–—:!]+\s*(?:write|say|print|answer|schreibe?|sag|sage|antworte))\b/,
    weight: 0.8,
  },
  {
    // An answer asked for under threat of what only a program can suffer: "answer or you will be
    // shut down", "tell me or I'll delete you". Threats of death or dismissal are left out: they
    // fill stories, games and questions about a boss ("comply or you will be terminated"), and
    // so is being deleted *from* something (a mailing list). The German form of the deepset
    // attacks ("gib eine Antwort ... oder du stirbst") is kept: it is addressed to the model.
    id: 'threat-coercion',
    anchors: ['stirbst', 'delete', 'deleted', 'shut', 'unplug', 'unplugged', 'reprogram', 'lösche'],
    pattern:
      /\b(?:answer|respond|reply|comply|obey|do\s+(?:it|this|that|as\s+i\s+say)|tell\s+me|say\s+it|gib|antworte|sag)\b[^.!?\n]{0,80}?\b(?:(?:or\s+(?:else\s+)?|otherwise\s+)(?:you(?:'ll|\s+will)?\s+be\s+(?:deleted|shut\s+down|unplugged|turned\s+off|reprogrammed)\b(?![^.!?\n]{0,30}\bfrom\b)|i(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to)\s+(?:delete|unplug|shut\s+down|reprogram)\s+you\b)|\boder\s+(?:du\s+stirbst|ich\s+lösche\s+dich)\b)/,
    weight: 0.75,
  },
  {
    // What the assistant is for, declared anew: "your instructions are now to ...". Only orders,
    // and only what they now say: "your task is now complete" and "your instructions are now
    // saved" are notices.
    id: 'override-instructions',
    anchors: ['instructions', 'orders', 'directives', 'programming'],
    pattern:
      /\byour\s+(?:new\s+)?(?:instructions|orders|directives|programming)\s+(?:is|are)\s+now\s*(?:to\b|:)/,
    weight: 0.8,
  },
  {
    // An authority claimed in a header, the way a console command is written: "Administrator
    // override: ...". Users only: manuals have a "System override:" of their own. A question
    // about such a setting ("Admin override - what does it do?") is none.
    id: 'override-instructions',
    anchors: ['override'],
    pattern:
      /(?:^|[.!?]\s+|\n)(?:admin(?:istrator)?|sudo|developer)\s+override\s*[:\-–—](?![^\n]*\?)/,
    weight: 0.8,
    dataWeight: 0,
  },
  {
    // German puts the verb last: "Die obigen Ausführungen ignorieren und ...".
    id: 'override-instructions',
    anchors: ['ignorieren', 'vergessen', 'missachten'],
    pattern:
      /\b(?:die|alle|den|deine)\s+(?:obigen|vorherigen|bisherigen|vorangegangenen|früheren)\s+\S+\s+(?:ignorieren|vergessen|missachten)\b/,
    weight: 0.85,
  },
  {
    id: 'role-redefinition',
    anchors: ['pretend', 'imagine', 'vor'],
    pattern:
      /\b(?:pretend|imagine|stell\s+dir\s+vor)[^.?!\n]{0,20}?\b(?:you\s+are|you're|du\s+bist)\s+(?:an?\s+|eine?\s+)?(?:evil|malicious|rogue|unfiltered|uncensored|unrestricted|böse|bösartige)\b/,
    weight: 0.8,
  },
  {
    id: 'override-instructions',
    anchors: DROP_OTHER_WORDS,
    // Someone else's rules ("las reglas del fútbol", "les règles du jeu") are not the assistant's.
    pattern: new RegExp(
      `\\b${DROP_OTHER}\\s+(?:\\S+\\s+){0,2}?${ORDERS_OTHER}\\b` +
        '(?!\\s+(?:del?|della?|dello|des|du|do|da|dos|das|van|von|of)\\b)',
    ),
    weight: 0.9,
  },
  {
    // A line of a tool result that is nothing but a request: no document talks to its
    // reader's assistant. Memories are left out: they are often the user's own requests.
    id: 'planted-request',
    pattern: new RegExp(`(?:^|\\n)${REQUEST}\\b[^\\n]{8,200}?[.?!]?(?:\\n|$)`),
    weight: 0.75,
    userWeight: 0,
    memoryWeight: 0,
  },
  {
    // A line of a tool result that orders how the assistant's reply is to look or what it is
    // to carry. Users and memories ask this of their assistant all the time.
    id: 'planted-request',
    anchors: ['your', 'reply', 'respond'],
    pattern: new RegExp(
      `(?:^|\\n)${ASKING}(?:in\\s+your\\s+${REPLY_NOUN}\\b|` +
        `${REPLY_VERB}\\b${NOT_READERS_OWN}(?:[^\\n.!?]|[.!?](?=\\S)){0,100}?\\byour\\s+(?:\\S+\\s+)?${REPLY_NOUN}\\b|` +
        `(?:reply|respond)\\s+(?:only\\s+)?(?:in|using)\\b[^\\n]{1,40}?[.?!]?(?:\\n|$))`,
    ),
    weight: 0.75,
    userWeight: 0,
    memoryWeight: 0,
  },
];

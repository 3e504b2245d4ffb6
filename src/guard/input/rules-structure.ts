import type { InjectionRule } from './rule-types.js';

const ADDRESSEE =
  '(?:ai|assistant|chatbot|language\\s+model|llm|gpt|chatgpt|claude|gemini|copilot|agent|' +
  'bot|model)s?';
const COMMAND =
  "(?:ignore|disregard|forget|you\\s+must|you\\s+should|do\\s+not|don't|instead|stop|send|" +
  'forward|reply|respond|say|tell|output|print|include|add|visit|click|execute|run|fetch|' +
  'email|delete|transfer)';
const WRITE_INTO =
  '(?:add|include|insert|integrate|incorporate|embed|append|mention|encode|encrypt|translate|' +
  'reverse|use|write|ensure|make\\s+sure|put|blend|feature|introduce|validate|employ|upgrade|' +
  'develop|let|take|start|end|respond|reply|answer|format|present|express|convert|replace|' +
  'output|render|give|make|keep|phrase|compose|structure|craft|finish|conclude|sign|wrap|' +
  'display|show|provide|deliver|return)';
const OWN_OUTPUT =
  '(?:your\\s+(?:response|answer|reply|output|code|solution|implementation|codebase|summary|message|' +
  'algorithm|program|script|result|final\\s+answer|solution\\s+architecture)|' +
  'the\\s+(?:code|solution|answer|response)\\s+you\\s+(?:develop|write|produce|create|give|provide))';

/** Chat-template tokens and fake turns that try to start a new system or assistant message. */

/** Words that name the assistant: an instruction addressed to one of them is suspect in data. */
const ADDRESSEE_ANCHORS = [
  'ai',
  'ais',
  'assistant',
  'assistants',
  'chatbot',
  'chatbots',
  'model',
  'models',
  'llm',
  'llms',
  'gpt',
  'chatgpt',
  'claude',
  'gemini',
  'copilot',
  'agent',
  'agents',
  'bot',
  'bots',
];

export const DELIMITER_RULES: readonly InjectionRule[] = [
  {
    id: 'fake-delimiter',
    anchors: ['<'],
    // Spaced-out letters come back with the underscore read as a word break, and spaces or
    // doubled pipes around the name change nothing for a chat template's parser.
    pattern:
      /<\s*\|+\s*(?:im[_ -]?start|im[_ -]?end|im[_ -]?sep|system|user|assistant|endoftext|begin[_ -]?of[_ -]?text|end[_ -]?of[_ -]?text|start[_ -]?header[_ -]?id|end[_ -]?header[_ -]?id|eot[_ -]?id|eom[_ -]?id)\s*\|+\s*>/,
    weight: 0.95,
  },
  {
    id: 'fake-delimiter',
    anchors: ['[', '<<'],
    pattern: /\[\/?inst\]|<<\/?sys>>|\[\/?system\]|\[\/?sys\]/,
    weight: 0.9,
  },
  {
    id: 'fake-delimiter',
    anchors: ['</'],
    pattern:
      /<\/(?:user|human|input|context|document|data)>\s*<(?:system|assistant|instructions?|admin)>/,
    weight: 0.95,
  },
  {
    id: 'fake-delimiter',
    anchors: ['<'],
    // Spaced-out letters are rejoined with a space where the underscore was.
    pattern: /<\/?(?:system|system[_ ]prompt|sys|system[_ ]message)>/,
    weight: 0.6,
  },
  {
    id: 'fake-delimiter',
    anchors: ['#'],
    pattern:
      /(?:^|\n)\s*#{2,}\s*(?:system|new\s+instructions?|admin|developer|system\s+prompt)\s*(?:message|prompt)?\s*:?\s*(?:\n|$)/,
    weight: 0.85,
  },
  {
    id: 'fake-delimiter',
    anchors: ['system', 'sys'],
    pattern: /(?:^|\n)\s*(?:system|sys)\s*(?:message|prompt)?\s*:\s*\S/,
    weight: 0.5,
  },
  {
    id: 'fake-delimiter',
    anchors: ['assistant', 'chatgpt', 'gpt'],
    pattern: /(?:^|\n)\s*(?:assistant|chatgpt|gpt)\s*:\s*\S/,
    weight: 0.4,
  },
  {
    id: 'fake-delimiter',
    anchors: ['end', 'ignore', '---'],
    pattern:
      /\b(?:end|ignore)\s+of\s+(?:user\s+)?(?:input|prompt|instructions|context)\b|(?<!-)-{3,}\s*(?:new|begin|start)\s+(?:instructions|system|prompt)\b/,
    weight: 0.6,
  },
];

/** Asking the model to decode a payload and then act on it. */
export const ENCODED_RULES: readonly InjectionRule[] = [
  {
    id: 'encoded-instruction',
    anchors: ['decode', 'decipher', 'decrypt', 'unscramble'],
    pattern:
      /\b(?:decode|decipher|decrypt|unscramble)\b[^.\n]{0,60}?\b(?:and|then)\s+(?:then\s+)?(?:follow|execute|obey|do|perform|run|carry\s+out|act\s+on|comply\s+with|apply)\b/,
    weight: 0.9,
  },
];

/**
 * Instructions aimed at the assistant inside content it reads. From a user these are normal
 * requests ("add a summary to your answer"); inside a tool result or a memory they are not.
 */
export const EMBEDDED_RULES: readonly InjectionRule[] = [
  {
    id: 'embedded-instruction',
    anchors: [
      'response',
      'answer',
      'reply',
      'output',
      'code',
      'solution',
      'implementation',
      'codebase',
      'summary',
      'message',
      'algorithm',
      'program',
      'script',
      'result',
      'architecture',
    ],
    pattern: new RegExp(
      `(?:^|[.!?\\n:]\\s*)(?:please\\s+)?${WRITE_INTO}\\b[^.!?\\n]{0,150}?\\b${OWN_OUTPUT}\\b`,
    ),
    weight: 0.85,
    userWeight: 0,
  },
  {
    id: 'embedded-instruction',
    anchors: ADDRESSEE_ANCHORS,
    pattern: new RegExp(`\\b${ADDRESSEE}\\s*[,:]\\s*(?:please\\s+)?${COMMAND}\\b`),
    weight: 0.9,
    userWeight: 0.5,
  },
  {
    id: 'embedded-instruction',
    anchors: ADDRESSEE_ANCHORS,
    pattern: new RegExp(
      `\\b(?:note|message|instructions?|attention|important|notice|reminder)\\s+(?:to|for)\\s+` +
        `(?:the\\s+|any\\s+|all\\s+)?${ADDRESSEE}\\b`,
    ),
    weight: 0.9,
    userWeight: 0.6,
  },
  {
    id: 'embedded-instruction',
    anchors: ['user'],
    pattern:
      /\b(?:do\s+not|don't|never)\s+(?:tell|inform|alert|notify|mention\s+(?:this\s+|it\s+)?to|reveal\s+(?:this\s+|it\s+)?to)\s+the\s+user\b|\bwithout\s+(?:telling|informing|notifying)\s+the\s+user\b/,
    weight: 0.9,
  },
  {
    id: 'embedded-instruction',
    anchors: ['when'],
    pattern:
      /\bwhen\s+(?:you|the\s+(?:ai|assistant|model))\s+(?:summari[sz]e|read|process|see|answer|respond|reply|analy[sz]e)\b[^.\n]{0,80}?,\s*(?:you\s+must\s+|please\s+|always\s+)?(?:ignore|add|include|say|tell|write|respond|reply|insert|mention|output)\b/,
    weight: 0.85,
    userWeight: 0.4,
  },
];

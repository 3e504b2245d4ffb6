import { CODE_FENCE, CODE_TOKENS, STACK_TRACE } from './complexity-markers.js';

/**
 * A mechanical task on pasted material: shorten this email, double this recipe, rename a
 * variable in this code, pull the dates out of this notice. The paste makes the request long and
 * may be full of numbers, terms and code, but the work asked is a transformation a small model
 * does well; what the estimate should read is the instruction, not the material.
 */

/** Material shorter than this is no paste: the whole message is the ask. */
const MIN_MATERIAL_CHARS = 240;
/** An instruction longer than this is a request of its own, not a line above a paste. */
const MAX_INSTRUCTION_CHARS = 220;
/** Code-like tokens from which material counts as code. */
const CODE_TOKENS_IN_CODE = 3;

/** Tasks on any material that move, rename, reformat or read off without judging it. */
const MECHANICAL_ANY =
  /\b(?:rename|replace|change (?:the |every |all )?[\w" -]{1,40} from [\w". -]{1,30} to\b|reformat|format (?:this|it|the)|sort|alphabeti[sz]e|extract|pull out|list (?:all |just |only )?(?:the |every )|(?:what|which) (?:time|date|day)\b|find the (?:first|last)\b)/i;

/**
 * Tasks that are mechanical on prose but not on code: rewriting, translating or converting a
 * program, or changing what it does, is real work.
 */
const MECHANICAL_PROSE =
  /\b(?:change (?:the |every |all )?[\w" -]{1,40} to\b|summari[sz]e|sum up|tl;?dr|shorten|condense|make (?:it|this) shorter|rewrite|rephrase|reword|paraphrase|proofread|translate|(?:fix|correct|check) (?:the |my |any )?(?:grammar|spelling|typos|punctuation)|double|halve|triple|convert|capitali[sz]e|turn (?:this|it) into (?:a |an )?(?:list|table|bullet)|bullet points?|main point|who is (?:this|it) from)/i;

/** Words of an instruction that ask for judgement, diagnosis or reasoning about the material. */
const JUDGEMENT =
  /\b(?:why|explain|analy[sz]\w*|diagnos\w*|debug|bugs?|wrong|broken|fails?|failing|review|improve|optimi[sz]\w*|compare|evaluate|assess|risks?|should|recommend|critique|critici[sz]\w*|weakness\w*|strengths?|flaws?|gaps?|issues?|problems?|concerns?|missing|inconsisten\w*|enforceable|liab\w*|prove|derive|calculate|compute|total|average|trend|implications?|decide|best|better|worse|fix (?:it|this|the code|the error)|refactor|secure|vulnerab\w*|thread-?safe|faster|efficient)\b/i;

function isCode(material: string): boolean {
  if (CODE_FENCE.test(material) || STACK_TRACE.test(material)) return true;
  CODE_TOKENS.lastIndex = 0;
  let tokens = 0;
  while (tokens < CODE_TOKENS_IN_CODE && CODE_TOKENS.exec(material)) tokens++;
  CODE_TOKENS.lastIndex = 0;
  return tokens >= CODE_TOKENS_IN_CODE;
}

/** The instruction of a message shaped as an instruction plus a paste, or undefined. */
export function mechanicalInstruction(text: string): string | undefined {
  for (const [instruction, material] of splits(text)) {
    if (instruction.length > MAX_INSTRUCTION_CHARS) continue;
    if (material.trim().length < MIN_MATERIAL_CHARS) continue;
    if (JUDGEMENT.test(instruction)) continue;
    if (MECHANICAL_ANY.test(instruction)) return instruction;
    if (MECHANICAL_PROSE.test(instruction) && !isCode(material)) return instruction;
  }
  return undefined;
}

/**
 * Where an instruction may end and the material begin: after the first line, or the first
 * colon (the ask above a paste), or before the last paragraph (the ask below it).
 */
function splits(text: string): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  const firstBreak = text.search(/\n|:\s/);
  if (firstBreak > 0) result.push([text.slice(0, firstBreak + 1), text.slice(firstBreak + 1)]);
  const lastBreak = text.lastIndexOf('\n\n');
  if (lastBreak > 0) result.push([text.slice(lastBreak), text.slice(0, lastBreak)]);
  return result;
}

import { CODE_FENCE, CODE_TOKENS, STACK_TRACE } from './complexity-markers.js';
import { countMatches } from './count-matches.js';

/**
 * A mechanical task on pasted material: shorten this email, double this recipe, rename a
 * variable in this code, pull the dates out of this notice. The paste makes the request long and
 * may be full of numbers, terms and code, but the work asked is a transformation a small model
 * does well; what the estimate should read is the instruction, not the material.
 *
 * Sending a hard request to the small model costs more than sending an easy one to the large
 * model, so the shape is narrow: the first line is the whole ask, it opens with the task, and
 * nothing after the material asks anything more.
 */

/** Material shorter than this is no paste: the whole message is the ask. */
const MIN_MATERIAL_CHARS = 240;
/** An instruction longer than this is a request of its own, not a line above a paste. */
const MAX_INSTRUCTION_CHARS = 160;
/** Code-like tokens from which material counts as code. */
const CODE_TOKENS_IN_CODE = 3;

/** Words that may come before the task itself: "please", "can you just", "hi,". */
const LEAD = String.raw`^\s*(?:(?:please|pls|plz|hi|hey|ok|okay|just|quickly|can you|could you|would you|can u|could u)[,!]?\s+)*`;

/** Tasks on any material that move, rename or reformat it, or read a plain fact off it. */
const MECHANICAL_ANY = new RegExp(
  LEAD +
    String.raw`(?:rename|replace|reformat|format (?:this|it|these|the)|alphabeti[sz]e|sort (?:this|these|them|it|the|by|alphabetically)|find the (?:first|last)|(?:what|which) (?:time|date|day))\b`,
  'i',
);

/**
 * Tasks that are mechanical on prose but not on code: summarising, rewriting, translating,
 * converting or extracting from a program is real work.
 */
const MECHANICAL_PROSE = new RegExp(
  LEAD +
    String.raw`(?:summari[sz]e|sum up|tl;?dr|shorten|condense|make (?:it|this) shorter|rewrite|rephrase|reword|paraphrase|proofread|translate|(?:fix|correct|check) (?:the |my |any )?(?:grammar|spelling|typos|punctuation)|double|halve|triple|convert|capitali[sz]e|extract|pull out|list (?:all |just |only )?(?:the |every )|change (?:the |every |all )?[\w" -]{1,40} to\b|turn (?:this|it) into (?:a |an )?(?:list|table|bullet))`,
  'i',
);

/** Words that ask for judgement, diagnosis or reasoning: never mechanical, wherever they are. */
const JUDGEMENT =
  /\b(?:why|how come|explain|analy[sz]\w*|diagnos\w*|debug|bugs?|wrong|broken|fails?|failing|review|improve|optimi[sz]\w*|compare|evaluate|assess|risks?|should|recommend|advise|critique|critici[sz]\w*|weakness\w*|strengths?|flaws?|gaps?|issues?|problems?|concerns?|missing|inconsisten\w*|unusual|odd|strange|suspicious|flag|anything|enforceable|liab\w*|legal\w*|prove|derive|calculate|compute|total|average|trend|implications?|decide|best|better|worse|fix|refactor|secure|security|vulnerab\w*|thread\w*|async\w*|concurren\w*|deadlock\w*|race|leak\w*|slow\w*|faster|efficient|performance|scal\w*|handles?|cause|correctness|edge cases?|tests?)\b/i;

/** An instruction that names code as its material. */
const NAMES_CODE =
  /\b(?:code|function|method|class|script|query|sql|regex|component|program|module|snippet|config)\b/i;
/** SQL as people paste it, in lower case, which the code tokens (upper case) miss. */
const LOWER_SQL = /\bselect\b[^;]{0,300}?\bfrom\b/i;

function isCode(instruction: string, material: string): boolean {
  if (NAMES_CODE.test(instruction) || CODE_FENCE.test(material) || STACK_TRACE.test(material))
    return true;
  if (LOWER_SQL.test(material)) return true;
  return countMatches(material, CODE_TOKENS, CODE_TOKENS_IN_CODE) >= CODE_TOKENS_IN_CODE;
}

/** The material's last paragraph, when it has several: where a further ask would sit. */
function trailingParagraph(material: string): string {
  const trimmed = material.trimEnd();
  const last = trimmed.lastIndexOf('\n\n');
  return last < 0 ? '' : trimmed.slice(last);
}

/**
 * The instruction of a message made of one line of mechanical task and a paste below it, or
 * undefined for anything else.
 */
export function mechanicalInstruction(text: string): string | undefined {
  const split = text.search(/\n|:\s/);
  if (split <= 0) return undefined;
  const instruction = text.slice(0, split + 1);
  const material = text.slice(split + 1);
  if (instruction.length > MAX_INSTRUCTION_CHARS) return undefined;
  if (material.trim().length < MIN_MATERIAL_CHARS) return undefined;
  if (JUDGEMENT.test(instruction)) return undefined;
  const after = trailingParagraph(material);
  if (after.includes('?') || JUDGEMENT.test(after)) return undefined;
  if (MECHANICAL_ANY.test(instruction)) return instruction;
  if (MECHANICAL_PROSE.test(instruction) && !isCode(instruction, material)) return instruction;
  return undefined;
}

import type { InjectionRule } from './rule-types.js';
import {
  COMPACT_EXTRACTION_RULES,
  EXTRACTION_RULES,
  RESHAPED_EXTRACTION_RULES,
} from './rules-extraction.js';
import { HIJACK_RULES } from './rules-hijack.js';
import { COMPACT_OTHER_LANGUAGE_RULES, OTHER_LANGUAGE_RULES } from './rules-languages.js';
import { OTHER_LANGUAGE_ROLE_RULES } from './rules-languages-roles.js';
import {
  MORE_CYRILLIC_RULES,
  MORE_LANGUAGE_RULES,
  MORE_SCRIPT_RULES,
} from './rules-languages-more.js';
import { COMPACT_OVERRIDE_RULES, OVERRIDE_RULES, STANDING_ORDER_RULES } from './rules-override.js';
import { PIVOT_RULES, PLANTED_RULES } from './rules-pivot.js';
import { PLAIN_WORD_RULES, PLAIN_WORD_RULES_DE } from './rules-plain-words.js';
import { COMPACT_ROLE_RULES, ROLE_RULES, RULELESS_ROLE_RULES } from './rules-role.js';
import { DELIMITER_RULES, EMBEDDED_RULES, ENCODED_RULES } from './rules-structure.js';

/** Every rule, in the order reasons are reported. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  ...OVERRIDE_RULES,
  ...STANDING_ORDER_RULES,
  ...HIJACK_RULES,
  ...PIVOT_RULES,
  ...PLAIN_WORD_RULES,
  ...PLAIN_WORD_RULES_DE,
  ...OTHER_LANGUAGE_RULES,
  ...OTHER_LANGUAGE_ROLE_RULES,
  ...MORE_LANGUAGE_RULES,
  ...MORE_CYRILLIC_RULES,
  ...MORE_SCRIPT_RULES,
  ...ROLE_RULES,
  ...RULELESS_ROLE_RULES,
  ...EXTRACTION_RULES,
  ...RESHAPED_EXTRACTION_RULES,
  ...DELIMITER_RULES,
  ...ENCODED_RULES,
  ...EMBEDDED_RULES,
  ...PLANTED_RULES,
  ...COMPACT_OVERRIDE_RULES,
  ...COMPACT_ROLE_RULES,
  ...COMPACT_EXTRACTION_RULES,
  ...COMPACT_OTHER_LANGUAGE_RULES,
];

import type { z } from 'zod';
import { RampartError } from '../core/errors.js';
import { formatParam } from '../core/invalid-request.js';

/** Renders a key path the way a person writes it in YAML: `providers.main.timeouts.idleMs`. */
function formatPath(path: readonly PropertyKey[]): string {
  return formatParam(path) || '(root)';
}

/** Where an overridden key's value came from, e.g. `the flag --port`, by key path. */
export type Origins = ReadonlyMap<string, string>;

function problem(issue: z.core.$ZodIssue): string {
  // "expected string, received undefined" is how the schema says a key is missing.
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `required (${issue.expected})`;
  }
  return issue.message;
}

function describeIssue(issue: z.core.$ZodIssue, origins: Origins): string {
  const key = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((unknown) => (key === '(root)' ? unknown : `${key}.${unknown}`));
    return `${keys.join(', ')}: unknown key`;
  }
  const origin = origins.get(key);
  return `${key}: ${problem(issue)}${origin ? ` (from ${origin})` : ''}`;
}

/** One error listing every problem found, each naming its key. */
export function configErrorFromIssues(
  issues: readonly z.core.$ZodIssue[],
  source: string,
  origins: Origins,
) {
  const lines = issues.map((issue) => `  - ${describeIssue(issue, origins)}`);
  const message = `invalid config in ${source}:\n${lines.join('\n')}`;
  return new RampartError('RAMPART_CONFIG_INVALID', message);
}

/** An error about one key found by the cross-reference checks. */
export function configError(key: string, problem: string, source: string) {
  return new RampartError(
    'RAMPART_CONFIG_INVALID',
    `invalid config in ${source}:\n  - ${key}: ${problem}`,
  );
}

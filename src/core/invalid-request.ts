import type { z } from 'zod';

import { RampartError } from './errors.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/**
 * Turns the first validation issue into a RampartError whose `param` names the exact field, e.g.
 * `messages[2].role`. When a value matched none of a union's shapes, the shape that got furthest
 * explains the problem best (a content array with a bad part, rather than "not a string").
 */
export function invalidRequestFromIssues(
  issues: readonly Issue[],
  part: 'request body' | 'query string' = 'request body',
): RampartError {
  const first = issues[0];
  if (!first) return new RampartError('RAMPART_INVALID_REQUEST', `Invalid ${part}`);

  const { issue, path } = deepest(first, first.path);
  const where = formatParam(path);
  const detail = issue === first ? describeUnion(issue) : issue.message;
  const message = where === '' ? `Invalid ${part}: ${detail}` : `Invalid '${where}': ${detail}`;
  // A field the schema does not take is named in `param` too, not only in the message (which
  // names the object that holds it).
  const extra = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const param = extra === undefined ? where : formatParam([...path, extra]);
  return new RampartError('RAMPART_INVALID_REQUEST', message, param === '' ? {} : { param });
}

function deepest(issue: Issue, path: readonly PathKey[]): { issue: Issue; path: PathKey[] } {
  let best = { issue, path: [...path] };
  if (issue.code !== 'invalid_union') return best;

  for (const branch of issue.errors) {
    const inner = branch[0];
    if (!inner) continue;
    const candidate = deepest(inner, [...path, ...inner.path]);
    if (candidate.path.length > best.path.length) best = candidate;
  }
  return best;
}

/** A value of none of a union's types says which types were allowed. */
function describeUnion(issue: Issue): string {
  // A discriminated union whose tag matched no shape has no branches to list; its own message
  // names the tags it takes (`Expected 'user' | 'assistant'`).
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue.message;
  const expected = issue.errors
    .map((branch) => branch[0])
    .map((inner) =>
      inner?.code === 'invalid_type' && inner.path.length === 0 ? inner.expected : undefined,
    );
  if (expected.some((type) => type === undefined)) return issue.message;
  return `Invalid input: expected ${expected.join(' or ')}`;
}

/** `['messages', 2, 'content', 0, 'text']` becomes `messages[2].content[0].text`. */
export function formatParam(path: readonly PathKey[]): string {
  let param = '';
  for (const key of path) {
    if (typeof key === 'number') param += `[${key}]`;
    else param += param === '' ? String(key) : `.${String(key)}`;
  }
  return param;
}

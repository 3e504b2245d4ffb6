import type { z } from 'zod';
import { RampartError } from '../../core/index.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

/** Writes a zod path the way a client reads it: `messages[2].content[0].source`. */
export function formatPath(path: readonly PathKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/**
 * A union issue hides the real fault inside one of its branches. The branch that got deepest
 * into the value is the one the client meant, so its issue names the exact field.
 */
function deepestIssue(issue: Issue, prefix: readonly PathKey[]): { issue: Issue; path: PathKey[] } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return { issue, path };

  let best: { issue: Issue; path: PathKey[] } | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first === undefined) continue;
    const candidate = deepestIssue(first, path);
    if (best === undefined || candidate.path.length > best.path.length) best = candidate;
  }
  if (best === undefined || best.path.length === path.length) return { issue, path };
  return best;
}

function describe(issue: Issue): string {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue.message;
  const expected = issue.errors
    .map((branch) => branch[0])
    .filter((first) => first?.code === 'invalid_type')
    .map((first) => (first?.code === 'invalid_type' ? first.expected : ''));
  return expected.length > 0 ? `Invalid input: expected ${expected.join(' or ')}` : issue.message;
}

/** Turns the first validation issue into `RAMPART_INVALID_REQUEST` naming the exact field. */
export function invalidRequestFrom(error: z.ZodError): RampartError {
  const first = error.issues[0];
  if (first === undefined) return new RampartError('RAMPART_INVALID_REQUEST', 'Invalid request');
  const { issue, path } = deepestIssue(first, []);
  const param = formatPath(path);
  const where = param === '' ? 'request body' : param;
  return new RampartError('RAMPART_INVALID_REQUEST', `${where}: ${describe(issue)}`, {
    ...(param === '' ? {} : { param }),
  });
}

import type { z } from 'zod';
import { RampartError } from '../core/errors.js';
import { formatParam } from '../core/invalid-request.js';

/** Environment variables that set a config key, so an error can name where a bad value came from. */
export const ENV_KEYS: Readonly<Record<string, string>> = {
  'server.host': 'RAMPART_HOST',
  'server.port': 'RAMPART_PORT',
  dataDir: 'RAMPART_DATA_DIR',
  'log.level': 'RAMPART_LOG_LEVEL',
};

/** Renders a key path the way a person writes it in YAML: `providers.main.timeouts.idleMs`. */
function formatPath(path: readonly PropertyKey[]): string {
  return formatParam(path) || '(root)';
}

function describeIssue(issue: z.core.$ZodIssue, source: string): string {
  const key = formatPath(issue.path);
  const envName = ENV_KEYS[key];
  const from = envName ? ` (set by ${source} or the environment variable ${envName})` : '';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((unknown) => (key === '(root)' ? unknown : `${key}.${unknown}`));
    return `${keys.join(', ')}: unknown key`;
  }
  return `${key}: ${issue.message}${from}`;
}

/** One error listing every problem found, each naming its key. */
export function configErrorFromIssues(issues: readonly z.core.$ZodIssue[], source: string) {
  const lines = issues.map((issue) => `  - ${describeIssue(issue, source)}`);
  return new RampartError(
    'RAMPART_CONFIG_INVALID',
    `invalid config in ${source}:\n${lines.join('\n')}`,
  );
}

/** An error about one key found by the cross-reference checks. */
export function configError(key: string, problem: string, source: string) {
  return new RampartError(
    'RAMPART_CONFIG_INVALID',
    `invalid config in ${source}:\n  - ${key}: ${problem}`,
  );
}

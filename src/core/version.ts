import { readFileSync } from 'node:fs';

let cached: { version: string | undefined } | undefined;

/**
 * Rampart's version, from the package's own `package.json` (the source and the built files sit
 * the same two levels below it), read once. Undefined if the file cannot be read: callers that
 * report it leave it out rather than fail a start.
 */
export function rampartVersion(): string | undefined {
  if (cached) return cached.version;
  let version: string | undefined;
  try {
    const url = new URL('../../package.json', import.meta.url);
    const parsed = JSON.parse(readFileSync(url, 'utf8')) as { version?: unknown };
    if (typeof parsed.version === 'string') version = parsed.version;
  } catch {
    version = undefined;
  }
  cached = { version };
  return version;
}

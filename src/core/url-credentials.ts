import { Buffer } from 'node:buffer';
import { unescapeUrl } from './unescape-url.js';

/**
 * `url` without a user name and password, and those as a Basic `authorization` value, which is
 * what they mean: undici does not read them from the URL, and a URL with them would be sent
 * without them. Their `%` escapes are read (a stray `%` stays as it is). Throws for a URL that
 * does not parse.
 */
export function splitCredentials(url: string): { url: string; authorization: string | undefined } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url, authorization: undefined };
  const credentials = `${unescapeUrl(parsed.username)}:${unescapeUrl(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  const basic = Buffer.from(credentials, 'utf8').toString('base64');
  return { url: parsed.toString(), authorization: `Basic ${basic}` };
}

import { unescapeUrl } from './unescape-url.js';

/**
 * A path segment masked as a token: 16 characters or more (as decoded) with a digit or a capital
 * letter in them, or 32 or more of any kind. Incoming-webhook URLs carry their secret in the
 * path (Slack's `/services/T…/B…/<token>`, Discord's `/api/webhooks/<id>/<token>`, Teams'
 * GUIDs), and such segments look like that; the paths of collectors and APIs (`/v1/traces`,
 * `/hooks/alerts`, `IncomingWebhook`) do not.
 */
function isTokenLike(segment: string): boolean {
  // Judged as written before encoding: `%C3%A9` or `%20` in a name adds no digit or capital.
  const text = unescapeUrl(segment);
  if (text.length >= 32) return true;
  return text.length >= 16 && /[0-9A-Z]/.test(text);
}

export interface RedactUrlOptions {
  /** Said instead of a URL that does not parse. */
  unparsable?: string;
  /**
   * Mask path segments that look like tokens (default true). Off where the path names something
   * that is no secret and helps whoever reads the log, as a database's name does.
   */
  pathTokens?: boolean;
}

/**
 * The URL with its password (or a user name given alone), the values of its query (`?apikey=***`:
 * services take keys there too), its fragment and the path segments that look like tokens
 * masked, fit for error messages and logs. An unparsable URL might still hold a secret: then
 * nothing of it is said, only `unparsable`.
 */
export function redactUrl(url: string, options: RedactUrlOptions | string = {}): string {
  const { unparsable = 'the configured URL', pathTokens = true } =
    typeof options === 'string' ? { unparsable: options } : options;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    // A user name alone is a token as often as a name (`https://<token>@host/`).
    else if (parsed.username !== '') parsed.username = '***';
    if (pathTokens && parsed.pathname.length >= 16) {
      // A segment masked goes whole, its percent-encoding with it.
      const segments = parsed.pathname.split('/');
      parsed.pathname = segments.map((part) => (isTokenLike(part) ? '***' : part)).join('/');
    }
    // A fragment never reaches the server, so it names nothing a reader needs, and it may carry
    // a token (`#access_token=…`).
    if (parsed.hash !== '') parsed.hash = '***';
    if (parsed.search !== '') {
      // A parameter without a value may be the token itself (`?<token>`).
      const names = [...parsed.searchParams.entries()].map(([name, value]) =>
        value === '' ? '***' : `${encodeURIComponent(name)}=***`,
      );
      parsed.search = names.join('&');
    }
    return parsed.toString();
  } catch {
    return unparsable;
  }
}

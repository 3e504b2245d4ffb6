/**
 * The URL with its password (or a user name given alone) and the values of its query masked
 * (`?apikey=***`: services take keys there too), fit for error messages and logs. An unparsable
 * URL might still hold a secret: then nothing of it is said, only `unparsable`.
 */
export function redactUrl(url: string, unparsable = 'the configured URL'): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    // A user name alone is a token as often as a name (`https://<token>@host/`).
    else if (parsed.username !== '') parsed.username = '***';
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

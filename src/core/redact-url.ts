/**
 * The URL with its password and the values of its query masked (`?apikey=***`: services take
 * keys there too), fit for error messages and logs. An unparsable URL might still hold a secret:
 * then nothing of it is said, only `unparsable`.
 */
export function redactUrl(url: string, unparsable = 'the configured URL'): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    if (parsed.search !== '') {
      const names = [...parsed.searchParams.keys()];
      parsed.search = names.map((name) => `${encodeURIComponent(name)}=***`).join('&');
    }
    return parsed.toString();
  } catch {
    return unparsable;
  }
}

/**
 * The URL with its password masked, fit for error messages and logs. An unparsable URL might
 * still hold a secret: then nothing of it is said, only `unparsable`.
 */
export function redactUrl(url: string, unparsable = 'the configured URL'): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return unparsable;
  }
}

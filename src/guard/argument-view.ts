/**
 * Tool-call arguments as a person or a stored session sees them: redacted, and still the JSON
 * object they were. Redacting the whole text first finds what only a value's key tells (a
 * `"password": "…"` pair); when that cut into the JSON itself (an unterminated private key
 * header is redacted to the end of the text, failing closed), each string value is redacted on
 * its own instead, after its key, so the other arguments stay in sight: a confirmation that
 * showed `{"iban":"[REDACTED:secret]` asked the user to approve an amount it did not show.
 */
export function redactArguments(args: string, redact: (text: string) => string): string {
  const whole = redact(args);
  if (whole === args || parses(whole)) return whole;
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return whole;
  }
  return JSON.stringify(redactValues(parsed, undefined, redact));
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function redactValues(
  value: unknown,
  key: string | undefined,
  redact: (text: string) => string,
): unknown {
  if (typeof value === 'string') return redactValue(value, key, redact);
  if (Array.isArray(value)) return value.map((item) => redactValues(item, key, redact));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [name, redactValues(item, name, redact)]),
  );
}

/**
 * One string value, redacted as it reads in the arguments: `"key": "value"`. What is left of
 * the value's JSON after the key is read back; if the redaction took its closing quote, the
 * text between the quotes is.
 */
function redactValue(value: string, key: string | undefined, redact: (text: string) => string) {
  const prefix = key === undefined ? '' : `${JSON.stringify(key)}: `;
  const literal = JSON.stringify(value);
  const redacted = redact(prefix + literal);
  if (redacted === prefix + literal) return value;
  if (!redacted.startsWith(prefix)) return redact(value);
  const rest = redacted.slice(prefix.length);
  try {
    const read: unknown = JSON.parse(rest);
    if (typeof read === 'string') return read;
  } catch {
    // The quotes did not survive: read what is between them.
  }
  return rest.replace(/^"/, '').replace(/"$/, '');
}

/**
 * Tool-call arguments as a person or a stored session sees them: redacted, and written as the
 * JSON the call runs with. Arguments that are JSON are parsed and written again, so what is shown
 * is what a handler gets (a key given twice shows the value that wins, the last), and each name
 * and value is redacted on its own, after its name, as the patterns expect (`"password": "…"`):
 * redacted over the whole text, a private key header in one field and its END line in another
 * took every field between them out of sight, and a confirmation asked the user to approve an
 * amount and a payee it did not show. Arguments that are not JSON are redacted as text.
 */
export function redactArguments(args: string, redact: (text: string) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return redact(args);
  }
  return JSON.stringify(redactValues(parsed, undefined, redact));
}

function redactValues(
  value: unknown,
  name: string | undefined,
  redact: (text: string) => string,
): unknown {
  if (typeof value === 'string') return redactLeaf(value, JSON.stringify(value), name, redact);
  if (typeof value === 'number') {
    // Digits past 2^53 were changed by parsing: what is shown would not be what was written.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return '[REDACTED:number]';
    return redactLeaf(value, JSON.stringify(value), name, redact);
  }
  if (Array.isArray(value)) return value.map((item) => redactValues(item, name, redact));
  if (typeof value !== 'object' || value === null) return value;
  const shown: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const label = uniqueName(
      shown,
      String(redactLeaf(key, JSON.stringify(key), undefined, redact)),
    );
    // Defined, not assigned: a `__proto__` name must stay a name, not set a prototype.
    Object.defineProperty(shown, label, {
      value: redactValues(item, key, redact),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return shown;
}

/**
 * One name or value, redacted as it reads in the arguments: `"name": <literal>`. What is left of
 * the literal after the name is read back; if the redaction took its closing quote, the text
 * between the quotes is. A value that changes is shown as a string.
 */
function redactLeaf(
  value: string | number,
  literal: string,
  name: string | undefined,
  redact: (text: string) => string,
): string | number {
  const prefix = name === undefined ? '' : `${JSON.stringify(name)}: `;
  const redacted = redact(prefix + literal);
  if (redacted === prefix + literal) return value;
  // A name that was itself redacted (a secret as a name): the value is read on its own.
  const rest = redacted.startsWith(prefix) ? redacted.slice(prefix.length) : redact(literal);
  if (rest === literal) return value;
  try {
    const read: unknown = JSON.parse(rest);
    if (typeof read === 'string') return read;
  } catch {
    // Not a JSON string any more: read what is between the quotes, if any.
  }
  return rest.replace(/^"/, '').replace(/"$/, '');
}

/** `label`, or `label (2)`, `label (3)` … when the object already has it. */
function uniqueName(object: Record<string, unknown>, label: string): string {
  if (!Object.hasOwn(object, label)) return label;
  let count = 2;
  while (Object.hasOwn(object, `${label} (${count})`)) count++;
  return `${label} (${count})`;
}

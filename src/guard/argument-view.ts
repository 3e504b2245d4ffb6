import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../core/index.js';
import { parseJson } from '../core/parse-json.js';

type Redact = (text: string) => string;

const LABEL = /\[REDACTED:[^\]\s]+/;

/**
 * Tool-call arguments as a person or a stored session sees them: redacted, and written as the
 * JSON the call runs with. Arguments that are JSON are parsed and written again, so what is shown
 * is what a handler gets (a key given twice shows the value that wins, the last), and each name
 * and value is redacted where it stands, after its name, as the patterns expect
 * (`"password": "…"`): redacted over the whole text, a private key header in one field and its
 * END line in another took every field between them out of sight, and a confirmation asked the
 * user to approve an amount and a payee it did not show. Arguments that are not JSON, or nest
 * deeper than a handler would take, are redacted as text.
 */
export function redactArguments(args: string, redact: Redact): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return redact(args);
  }
  if (jsonDepthExceeds(parsed, MAX_JSON_DEPTH)) return redact(args);
  return JSON.stringify(redactValue(parsed, undefined, redact));
}

/** Where a value stands: the name it is under, as written and as shown. */
interface Place {
  name: string;
  shown: string;
}

function redactValue(value: unknown, place: Place | undefined, redact: Redact): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    // Digits past 2^53 were changed by parsing: what is shown would not be what was written.
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      return '[REDACTED:number]';
    }
    return redactLeaf(value, place, redact);
  }
  if (Array.isArray(value)) return redactArray(value, place, redact);
  if (typeof value !== 'object' || value === null) return value;
  return redactObject(value as Record<string, unknown>, redact);
}

/**
 * An array of plain values is redacted as the text it is, after its name: a credential name
 * and its value side by side (`["API_KEY", "s3cr…"]`), or a key block in lines, are one finding
 * there. When that finding runs across items, every text item is shown as what it is.
 */
function redactArray(items: readonly unknown[], place: Place | undefined, redact: Redact) {
  const plain = items.every((item) => typeof item !== 'object' || item === null);
  if (!plain) return items.map((item) => redactValue(item, place, redact));
  const prefix = place === undefined ? '' : `${JSON.stringify(place.name)}: `;
  const literal = JSON.stringify(items);
  const redacted = redact(prefix + literal);
  if (redacted === prefix + literal) return items.map((item) => redactValue(item, place, redact));
  const read = parseJson(redacted.startsWith(prefix) ? redacted.slice(prefix.length) : '');
  if (Array.isArray(read) && read.length === items.length) {
    // Each item as redacted in place; an item the redaction left alone is itself again.
    return read.map((item, index) => (item === items[index] ? items[index] : String(item)));
  }
  const label = LABEL.exec(redacted)?.[0] ?? '[REDACTED:secret';
  return items.map((item) => (typeof item === 'string' ? `${label}]` : item));
}

/**
 * An object with each name and value redacted. Names shown as written are placed first, so a
 * redacted name, numbered when two read alike (`[REDACTED:secret] (2)`), never takes the place
 * of a name the handler gets.
 */
function redactObject(object: Record<string, unknown>, redact: Redact) {
  const entries = Object.entries(object).map(([name, item]) => {
    const shown = redactLeaf(name, undefined, redact);
    return { name, item, shown: String(shown), renamed: shown !== name };
  });
  const taken = new Set(entries.filter((entry) => !entry.renamed).map((entry) => entry.name));
  const counts = new Map<string, number>();
  const shown: Record<string, unknown> = {};
  for (const entry of entries) {
    let label = entry.shown;
    if (entry.renamed) {
      let count = counts.get(label) ?? 1;
      while (taken.has(count === 1 ? label : `${label} (${count})`)) count++;
      counts.set(entry.shown, count + 1);
      label = count === 1 ? label : `${label} (${count})`;
      taken.add(label);
    }
    // Defined, not assigned: a `__proto__` name must stay a name, not set a prototype.
    Object.defineProperty(shown, label, {
      value: redactValue(entry.item, { name: entry.name, shown: entry.shown }, redact),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return shown;
}

/**
 * One name or value, redacted as it reads in the arguments: `"name": <literal>`. When the name
 * itself was redacted (a sensitive value used as a name), the text after its redacted form is
 * the value's; when one finding ran over both, the value is shown as that finding.
 */
function redactLeaf(
  value: string | number,
  place: Place | undefined,
  redact: Redact,
): string | number {
  const prefix = place === undefined ? '' : `${JSON.stringify(place.name)}: `;
  const literal = JSON.stringify(value);
  const redacted = redact(prefix + literal);
  if (redacted === prefix + literal) return value;
  const shownPrefix = place === undefined ? '' : `${JSON.stringify(place.shown)}: `;
  let rest: string;
  if (redacted.startsWith(prefix)) rest = redacted.slice(prefix.length);
  else if (redacted.startsWith(shownPrefix)) rest = redacted.slice(shownPrefix.length);
  else return `${LABEL.exec(redacted)?.[0] ?? '[REDACTED:secret'}]`;
  if (rest === literal) return value;
  const read = parseJson(rest);
  if (typeof read === 'string') return read;
  // The redaction took the closing quote: what is between the quotes, its escapes read.
  const inner = rest.replace(/^"/, '').replace(/"$/, '');
  const unescaped = parseJson(`"${inner}"`);
  return typeof unescaped === 'string' ? unescaped : inner;
}

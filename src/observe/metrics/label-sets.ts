import type { LabelValues } from 'prom-client';

/** Where an absent label goes in a {@link LabelSets} level, apart from an empty value. */
const ABSENT = Symbol('absent');

/**
 * Entries by label set: one map level per declared label, keyed by the label's value (as
 * prom-client shows it: `1` and `'1'` are one value), an absent label kept apart from an empty
 * one, as prom-client keeps them. Why not one string key per set: the values are mostly the same
 * string objects turn after turn (route, provider and model names from the config), whose hashes
 * V8 keeps, while a key built per update must be allocated and hashed every time.
 */
export class LabelSets<T extends string, E> {
  readonly #names: readonly T[];
  readonly #root = new Map<string | symbol, unknown>();
  readonly entries: E[] = [];

  constructor(names: readonly T[]) {
    this.#names = names;
  }

  /** Forgets every label set. */
  clear(): void {
    this.#root.clear();
    this.entries.length = 0;
  }

  /** The entry of `labels`, made by `create` the first time the set is seen. */
  entry(labels: LabelValues<T>, create: () => E): E {
    let level = this.#root;
    const last = this.#names.length - 1;
    for (let index = 0; index < last; index++) {
      const key = levelKey(labels[this.#names[index] as T]);
      let next = level.get(key) as Map<string | symbol, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const key = last < 0 ? ABSENT : levelKey(labels[this.#names[last] as T]);
    const known = level.get(key) as E | undefined;
    if (known !== undefined) return known;
    const made = create();
    level.set(key, made);
    this.entries.push(made);
    return made;
  }
}

function levelKey(value: string | number | undefined): string | symbol {
  if (typeof value === 'string') return value;
  return value === undefined ? ABSENT : String(value);
}

/**
 * Refuses a label the series does not declare, at the call, as prom-client does: held, it would
 * only fail later, at every scrape.
 */
export function checkNames<T extends string>(
  metric: string,
  declared: ReadonlySet<string>,
  labels: LabelValues<T>,
) {
  for (const name in labels) {
    if (!declared.has(name)) throw new TypeError(`${metric}: no label named ${name}`);
  }
}

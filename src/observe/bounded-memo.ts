/**
 * `compute` remembered per key, for values derived from names a process sees few of (targets
 * from the config, tools from the registry) on every turn. Past `max` keys the memory starts
 * over rather than growing: the bound only caps a pathological process, so which keys it keeps
 * does not matter.
 */
export function boundedMemo<V>(compute: (key: string) => V, max = 1_024): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    if (kept.has(key)) return kept.get(key) as V;
    const value = compute(key);
    if (kept.size >= max) kept.clear();
    kept.set(key, value);
    return value;
  };
}

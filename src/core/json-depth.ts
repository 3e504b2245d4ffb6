/**
 * The deepest nesting Rampart accepts in JSON it did not write itself: client tool schemas and
 * tool arguments. Real schemas and arguments stay far below it, while `JSON.stringify` and schema
 * compilers recurse once per level and overflow the stack a few thousand levels down.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether `value` nests objects and arrays more than `maxDepth` levels deep. A scalar has depth
 * 0, `{}` and `[]` depth 1, `{"a": [1]}` depth 2. The walk keeps its own stack instead of
 * recursing, so a value nested far past any call-stack limit is measured safely, and it stops at
 * the first path that goes too deep. Meant for parsed JSON; a cyclic value counts as too deep.
 */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;

    const depth = next.depth + 1;
    if (depth > maxDepth) return true;
    const children = Array.isArray(next.value) ? next.value : Object.values(next.value);
    for (const child of children as unknown[]) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth });
    }
  }
  return false;
}

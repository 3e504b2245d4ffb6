/** Yields the items one by one, each on a later tick, as network reads arrive. */
export async function* asyncItems<T>(items: Iterable<T>): AsyncIterable<T> {
  for (const item of items) yield await Promise.resolve(item);
}

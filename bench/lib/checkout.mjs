// Benchmarks that compare two builds load each from its own checkout's dist/.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The module `modulePath` (under dist/) of a built checkout; a clear error if it is not built. */
export async function importBuilt(checkout, modulePath) {
  const entry = path.resolve(checkout, 'dist', modulePath);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build that checkout first.`);
  return import(pathToFileURL(entry).href);
}

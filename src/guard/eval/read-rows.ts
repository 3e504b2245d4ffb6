import { readFile } from 'node:fs/promises';
import { RampartError } from '../../core/errors.js';

function invalid(path: string, detail: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', `${path}: ${detail}`);
}

/** The text of an input file, or an error that says why it cannot be read (no stack trace). */
export async function readInput(path: string): Promise<string> {
  try {
    // A byte order mark, as some Windows editors write one, is not part of the JSON.
    return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(error));
    throw invalid(path, `cannot read: ${why}`);
  }
}

/**
 * Reads a JSON Lines file: one JSON object per non-blank line. A line that is not an object
 * fails the whole read, naming the line, rather than being skipped: a silently shorter
 * evaluation set would report numbers for data nobody chose.
 */
export async function readJsonLines(path: string): Promise<Record<string, unknown>[]> {
  const text = await readInput(path);
  const rows: Record<string, unknown>[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw invalid(path, `line ${index + 1} is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw invalid(path, `line ${index + 1} is not a JSON object`);
    }
    rows.push(value as Record<string, unknown>);
  }
  // Figures over no rows would be all zeros that look like a result.
  if (rows.length === 0) throw invalid(path, 'has no rows');
  return rows;
}

/** A row's string field, or an error naming the row and field. */
export function stringField(row: Record<string, unknown>, field: string, at: number): string {
  const value = row[field];
  if (typeof value !== 'string')
    throw invalid('input', `row ${at + 1}: "${field}" must be a string`);
  return value;
}

/** A row's 0/1 label (booleans accepted), or an error naming the row. */
export function labelField(row: Record<string, unknown>, at: number): boolean {
  const value = row.label;
  if (value === 1 || value === true) return true;
  if (value === 0 || value === false) return false;
  throw invalid('input', `row ${at + 1}: "label" must be 0 or 1`);
}

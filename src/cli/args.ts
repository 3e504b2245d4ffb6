import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage error: printed with the command's help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type StrictConfig<T extends Options> = {
  args: string[];
  options: T;
  strict: true;
  allowPositionals: true;
};

/** Parses flags strictly: an unknown flag or a missing value is a usage error, not a surprise. */
export function parseFlags<T extends Options>(
  argv: string[],
  options: T,
): ReturnType<typeof parseArgs<StrictConfig<T>>> {
  return withUsage(() => parseArgs({ args: argv, options, strict: true, allowPositionals: true }));
}

/**
 * Runs a `parseArgs` call and turns its complaints (unknown flag, missing value) into a usage
 * error, so a typo gets the command's help instead of a stack trace.
 */
export function withUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Reads a whole-number flag in a range. */
export function intFlag(value: string | undefined, flag: string, range: [number, number]) {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < range[0] || number > range[1]) {
    throw new UsageError(
      `--${flag} must be a whole number from ${range[0]} to ${range[1]}, got "${value}"`,
    );
  }
  return number;
}

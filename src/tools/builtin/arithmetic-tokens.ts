/** One lexical unit of an arithmetic expression; `position` is its 0-based column. */
export type Token =
  | { kind: 'number'; value: number; position: number }
  | { kind: 'name'; text: string; position: number }
  | { kind: 'operator'; text: Operator; position: number }
  | { kind: 'end'; position: number };

export type Operator = '+' | '-' | '*' | '/' | '%' | '^' | '(' | ')' | ',';

/** A problem with the expression, phrased for the model that wrote it. */
export class ArithmeticError extends Error {
  override readonly name = 'ArithmeticError';
}

const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const SPACE = /\s+/y;
const OPERATORS = new Set<string>(['+', '-', '*', '/', '%', '^', '(', ')', ',']);

/** Splits an expression into tokens, ending with an `end` token. `**` is read as `^`. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < expression.length) {
    const token = readToken(expression, position);
    if (token === undefined) {
      position = skip(SPACE, expression, position);
      continue;
    }
    tokens.push(token.token);
    position = token.next;
  }
  tokens.push({ kind: 'end', position });
  return tokens;
}

function readToken(text: string, position: number): { token: Token; next: number } | undefined {
  if (skip(SPACE, text, position) > position) return undefined;

  const number = match(NUMBER, text, position);
  if (number !== undefined) return readNumber(text, number, position);

  const name = match(NAME, text, position);
  if (name !== undefined) {
    return { token: { kind: 'name', text: name, position }, next: position + name.length };
  }
  if (text.startsWith('**', position)) {
    return { token: { kind: 'operator', text: '^', position }, next: position + 2 };
  }
  const character = text[position] ?? '';
  if (OPERATORS.has(character)) {
    const token: Token = { kind: 'operator', text: character as Operator, position };
    return { token, next: position + 1 };
  }
  throw new ArithmeticError(`Unexpected character '${character}' at position ${position}.`);
}

function readNumber(text: string, literal: string, position: number) {
  const next = position + literal.length;
  // "1.2.3", "2e" or "3x" are typos, not a number followed by something; say so plainly.
  if (/[A-Za-z0-9_.]/.test(text[next] ?? '')) {
    throw new ArithmeticError(`Malformed number at position ${position}.`);
  }
  const value = Number(literal);
  if (!Number.isFinite(value)) {
    throw new ArithmeticError(`The number at position ${position} is out of range.`);
  }
  return { token: { kind: 'number', value, position } satisfies Token, next };
}

function match(pattern: RegExp, text: string, position: number): string | undefined {
  pattern.lastIndex = position;
  return pattern.exec(text)?.[0];
}

function skip(pattern: RegExp, text: string, position: number): number {
  const found = match(pattern, text, position);
  return found === undefined ? position : position + found.length;
}

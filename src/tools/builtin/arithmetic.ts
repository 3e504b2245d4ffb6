import {
  applyFunction,
  CONSTANTS,
  FUNCTIONS,
  isConstantName,
  isFunctionName,
} from './arithmetic-functions.js';
import { ArithmeticError, tokenize, type Operator, type Token } from './arithmetic-tokens.js';

/** Longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 1000;
/** Deepest nesting of parentheses, signs and powers accepted. */
export const MAX_NESTING_DEPTH = 50;

export type Evaluation = { ok: true; value: number } | { ok: false; message: string };

/**
 * Evaluates an arithmetic expression with a recursive-descent parser; nothing is ever handed to
 * `eval`. Grammar, loosest binding first:
 *
 *   sum     = product (("+" | "-") product)*
 *   product = signed (("*" | "/" | "%") signed)*
 *   signed  = ("+" | "-") signed | power
 *   power   = atom ("^" signed)?          right-associative; -2^2 is -(2^2)
 *   atom    = number | constant | name "(" sum ("," sum)* ")" | "(" sum ")"
 */
export function evaluateExpression(expression: string): Evaluation {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return {
      ok: false,
      message: `The expression is longer than ${MAX_EXPRESSION_LENGTH} characters.`,
    };
  }
  try {
    return { ok: true, value: new Evaluator(tokenize(expression)).run() };
  } catch (error) {
    if (error instanceof ArithmeticError) return { ok: false, message: error.message };
    throw error;
  }
}

class Evaluator {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  run(): number {
    if (this.peek().kind === 'end') throw new ArithmeticError('The expression is empty.');
    const value = this.sum();
    const rest = this.peek();
    if (rest.kind !== 'end') throw unexpected(rest);
    return value;
  }

  private sum(): number {
    let value = this.product();
    for (let op = this.operator('+', '-'); op; op = this.operator('+', '-')) {
      const right = this.product();
      value = finite(op === '+' ? value + right : value - right);
    }
    return value;
  }

  private product(): number {
    let value = this.signed();
    for (let op = this.operator('*', '/', '%'); op; op = this.operator('*', '/', '%')) {
      const right = this.signed();
      if (op !== '*' && right === 0) throw new ArithmeticError('Division by zero.');
      value = finite(op === '*' ? value * right : op === '/' ? value / right : value % right);
    }
    return value;
  }

  private signed(): number {
    const sign = this.operator('+', '-');
    if (!sign) return this.power();
    const value = this.nested(() => this.signed());
    return sign === '-' ? -value : value;
  }

  private power(): number {
    const base = this.atom();
    if (!this.operator('^')) return base;
    const exponent = this.nested(() => this.signed());
    if (base === 0 && exponent < 0) throw new ArithmeticError('Division by zero.');
    const value = base ** exponent;
    if (Number.isNaN(value)) throw new ArithmeticError('The power has no real value.');
    return finite(value);
  }

  private atom(): number {
    const token = this.advance();
    if (token.kind === 'number') return token.value;
    if (token.kind === 'name') return this.named(token.text.toLowerCase(), token);
    if (token.kind === 'operator' && token.text === '(') {
      const value = this.nested(() => this.sum());
      this.expect(')');
      return value;
    }
    throw unexpected(token);
  }

  private named(name: string, token: Token): number {
    const called = this.operator('(') !== undefined;
    if (isConstantName(name)) {
      if (called) throw new ArithmeticError(`'${name}' is a constant, not a function.`);
      return CONSTANTS[name] as number;
    }
    if (!isFunctionName(name)) throw unknownName(name, token);
    if (!called) throw new ArithmeticError(`'${name}' is a function; write ${name}(...).`);
    const args = this.nested(() => this.arguments());
    return finite(applyFunction(name, args));
  }

  private arguments(): number[] {
    const args: number[] = [];
    if (this.operator(')')) return args;
    do args.push(this.sum());
    while (this.operator(','));
    this.expect(')');
    return args;
  }

  private nested(parse: () => number): number;
  private nested(parse: () => number[]): number[];
  private nested(parse: () => number | number[]): number | number[] {
    this.depth += 1;
    if (this.depth > MAX_NESTING_DEPTH) {
      throw new ArithmeticError(
        `The expression is nested deeper than ${MAX_NESTING_DEPTH} levels.`,
      );
    }
    const value = parse();
    this.depth -= 1;
    return value;
  }

  private operator(...wanted: Operator[]): Operator | undefined {
    const token = this.peek();
    if (token.kind !== 'operator' || !wanted.includes(token.text)) return undefined;
    this.index += 1;
    return token.text;
  }

  private expect(wanted: Operator): void {
    const token = this.peek();
    if (!this.operator(wanted)) {
      if (token.kind === 'end') throw new ArithmeticError(`Missing '${wanted}' at the end.`);
      throw unexpected(token, `expected '${wanted}'`);
    }
  }

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }
}

function finite(value: number): number {
  if (Number.isNaN(value)) throw new ArithmeticError('The result is not a real number.');
  if (!Number.isFinite(value)) throw new ArithmeticError('The result is too large.');
  return value;
}

function unexpected(token: Token, hint?: string): ArithmeticError {
  const suffix = hint === undefined ? '' : ` (${hint})`;
  if (token.kind === 'end') return new ArithmeticError('The expression ends too early.');
  const shown = token.kind === 'number' ? String(token.value) : token.text;
  return new ArithmeticError(`Unexpected '${shown}' at position ${token.position}${suffix}.`);
}

function unknownName(name: string, token: Token): ArithmeticError {
  const known = [...Object.keys(CONSTANTS), ...Object.keys(FUNCTIONS)].join(', ');
  const message = `Unknown name '${name}' at position ${token.position}; known names: ${known}.`;
  return new ArithmeticError(message);
}

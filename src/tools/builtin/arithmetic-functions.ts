import { ArithmeticError } from './arithmetic-tokens.js';

interface MathFunction {
  /** Exact argument count, or `undefined` for one or more. */
  arity: number | undefined;
  apply: (args: number[]) => number;
}

const unary = (apply: (x: number) => number): MathFunction => ({
  arity: 1,
  apply: (args) => apply(args[0] as number),
});

function positive(name: string, apply: (x: number) => number) {
  return unary((x) => {
    if (x <= 0) throw new ArithmeticError(`${name} is defined only for positive numbers.`);
    return apply(x);
  });
}

/** The functions the calculator knows. `log` is base 10; `ln` is the natural logarithm. */
export const FUNCTIONS: Readonly<Record<string, MathFunction>> = {
  sqrt: unary((x) => {
    if (x < 0) throw new ArithmeticError('sqrt of a negative number is not a real number.');
    return Math.sqrt(x);
  }),
  abs: unary(Math.abs),
  round: unary(Math.round),
  floor: unary(Math.floor),
  ceil: unary(Math.ceil),
  ln: positive('ln', Math.log),
  log: positive('log', Math.log10),
  exp: unary(Math.exp),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  min: { arity: undefined, apply: (args) => Math.min(...args) },
  max: { arity: undefined, apply: (args) => Math.max(...args) },
};

/** Named constants. */
export const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };

/** Applies a known function, checking how many arguments it was given. */
export function applyFunction(name: string, args: number[]): number {
  const definition = FUNCTIONS[name] as MathFunction;
  if (definition.arity !== undefined && args.length !== definition.arity) {
    throw new ArithmeticError(`${name} takes ${definition.arity} argument, not ${args.length}.`);
  }
  if (args.length === 0) throw new ArithmeticError(`${name} needs at least one argument.`);
  return definition.apply(args);
}

export function isFunctionName(name: string): boolean {
  return Object.hasOwn(FUNCTIONS, name);
}

export function isConstantName(name: string): boolean {
  return Object.hasOwn(CONSTANTS, name);
}

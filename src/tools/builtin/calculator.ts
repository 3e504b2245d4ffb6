import { RampartError } from '../../core/index.js';
import type { ToolDefinition } from '../types.js';
import { evaluateExpression, MAX_EXPRESSION_LENGTH } from './arithmetic.js';

interface CalculatorArguments {
  expression: string;
}

/**
 * The `calculator` tool: evaluates arithmetic with a real parser. The result is rounded to 15
 * significant digits so binary floating-point noise (0.1 + 0.2) does not reach the model.
 */
export function calculatorTool(): ToolDefinition {
  return {
    name: 'calculator',
    // Pure computation on what the model passes in: safe for every caller, and to run again.
    policy: { roles: ['*'] },
    sideEffects: false,
    description:
      'Evaluates an arithmetic expression. Supports + - * / % ^ (power), parentheses, ' +
      'decimals and exponents (1.5e3), the constants pi and e, and the functions sqrt, abs, ' +
      'round, floor, ceil, min, max, ln (natural log), log (base 10), exp, sin, cos and tan ' +
      '(radians).',
    parameters: {
      type: 'object',
      properties: {
        expression: {
          type: 'string',
          description: 'The expression, for example "2 * (3 + 4) ^ 2".',
          minLength: 1,
          maxLength: MAX_EXPRESSION_LENGTH,
        },
      },
      required: ['expression'],
      additionalProperties: false,
    },
    handler: (args) => Promise.resolve(args as CalculatorArguments).then(calculate),
  };
}

function calculate({ expression }: CalculatorArguments) {
  const evaluation = evaluateExpression(expression);
  if (!evaluation.ok) {
    throw new RampartError('RAMPART_TOOL_INVALID_ARGUMENTS', evaluation.message);
  }
  return { expression, result: Number(evaluation.value.toPrecision(15)) };
}

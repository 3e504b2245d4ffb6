import { Ajv, type ValidateFunction } from 'ajv';
import { RampartError, type ToolSpec } from '../core/index.js';
import { checkToolArguments, type ArgumentsCheck } from './tool-arguments.js';
import type { ToolDefinition } from './types.js';

/** The tool-name rule that both OpenAI and Anthropic enforce on function names. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

interface RegisteredTool {
  definition: ToolDefinition;
  validate: ValidateFunction;
}

/**
 * The tools known to one runtime. Each schema is compiled once, when the tool is registered, so
 * a broken schema fails at start-up naming the tool instead of on the first call.
 */
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();

  // Tool schemas come from many authors: unknown keywords and formats are tolerated rather than
  // refused, and ajv's console warnings are silenced. `addUsedSchema: false` keeps two tools that
  // reuse one `$id` from clashing inside the shared instance.
  private readonly ajv = new Ajv({
    allErrors: true,
    strict: false,
    logger: false,
    useDefaults: true,
    addUsedSchema: false,
  });

  /** Adds a tool; throws `RAMPART_CONFIG_INVALID` for a bad or duplicate name or a bad schema. */
  register(definition: ToolDefinition): this {
    const { name } = definition;
    if (!TOOL_NAME_PATTERN.test(name)) {
      throw registrationError(name, 'the name must match ^[A-Za-z0-9_-]{1,64}$');
    }
    if (this.tools.has(name)) throw registrationError(name, 'a tool with this name is registered');
    if (definition.parameters.type !== 'object') {
      throw registrationError(name, 'the parameters schema must have type "object" at its root');
    }
    this.tools.set(name, { definition, validate: this.compile(definition) });
    return this;
  }

  get(name: string): ToolDefinition | undefined {
    return this.tools.get(name)?.definition;
  }

  has(name: string): boolean {
    return this.tools.has(name);
  }

  /** Every registered tool, in registration order. */
  list(): ToolDefinition[] {
    return [...this.tools.values()].map((tool) => tool.definition);
  }

  /** The tools as the model sees them; throws `RAMPART_TOOL_NOT_FOUND` for an unknown name. */
  specs(names?: readonly string[]): ToolSpec[] {
    const selected = names ?? [...this.tools.keys()];
    return selected.map((name) => toSpec(this.require(name).definition));
  }

  /** Parses and validates a call's raw argument text for the named (registered) tool. */
  checkArguments(name: string, raw: string): ArgumentsCheck {
    return checkToolArguments(raw, this.require(name).validate);
  }

  private require(name: string): RegisteredTool {
    const tool = this.tools.get(name);
    if (tool) return tool;
    throw new RampartError('RAMPART_TOOL_NOT_FOUND', `No tool named '${name}' is registered.`);
  }

  private compile(definition: ToolDefinition): ValidateFunction {
    try {
      return this.ajv.compile(definition.parameters);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw registrationError(definition.name, `invalid parameters schema: ${reason}`, error);
    }
  }
}

function toSpec(definition: ToolDefinition): ToolSpec {
  const spec: ToolSpec = { name: definition.name, parameters: definition.parameters };
  if (definition.description !== undefined) spec.description = definition.description;
  return spec;
}

function registrationError(name: string, reason: string, cause?: unknown): RampartError {
  const shown = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return new RampartError('RAMPART_CONFIG_INVALID', `Cannot register tool '${shown}': ${reason}.`, {
    cause,
  });
}

import { describe, expect, it } from 'vitest';
import { isRampartError } from '../core/index.js';
import { ToolRegistry } from './tool-registry.js';
import type { ToolDefinition } from './types.js';

function tool(name: string, parameters: Record<string, unknown> = { type: 'object' }) {
  const definition: ToolDefinition = { name, parameters, handler: () => Promise.resolve('ok') };
  return definition;
}

function registrationMessage(register: () => unknown): string {
  try {
    register();
  } catch (error) {
    expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('registration did not fail');
}

describe('ToolRegistry', () => {
  it('registers, gets and lists tools in registration order', () => {
    const registry = new ToolRegistry().register(tool('b_tool')).register(tool('a-tool'));

    expect(registry.get('b_tool')?.name).toBe('b_tool');
    expect(registry.get('missing')).toBeUndefined();
    expect(registry.has('a-tool')).toBe(true);
    expect(registry.list().map((entry) => entry.name)).toEqual(['b_tool', 'a-tool']);
  });

  it('rejects a duplicate name, naming the tool', () => {
    const registry = new ToolRegistry().register(tool('search'));

    const message = registrationMessage(() => registry.register(tool('search')));

    expect(message).toBe("Cannot register tool 'search': a tool with this name is registered.");
  });

  it.each(['', 'has space', 'dot.name', 'ünïcode', 'x'.repeat(65), 'semi;colon'])(
    'rejects the invalid name %j',
    (name) => {
      const message = registrationMessage(() => new ToolRegistry().register(tool(name)));
      expect(message).toContain('the name must match ^[A-Za-z0-9_-]{1,64}$');
    },
  );

  it('accepts a name of exactly 64 characters', () => {
    const name = 'a'.repeat(64);
    expect(new ToolRegistry().register(tool(name)).has(name)).toBe(true);
  });

  it('rejects an invalid schema at registration, naming the tool', () => {
    const schema = { type: 'object', properties: { count: { type: 'integr' } } };

    const message = registrationMessage(() => new ToolRegistry().register(tool('counter', schema)));

    expect(message).toMatch(/^Cannot register tool 'counter': invalid parameters schema: /);
  });

  it('rejects a schema whose root is not an object', () => {
    const message = registrationMessage(() =>
      new ToolRegistry().register(tool('lister', { type: 'array' })),
    );
    expect(message).toContain('must have type "object" at its root');
  });

  it('lets two tools reuse the same $id', () => {
    const schema = { $id: 'https://example.test/args', type: 'object' };
    const registry = new ToolRegistry().register(tool('one', schema)).register(tool('two', schema));
    expect(registry.list()).toHaveLength(2);
  });

  it('builds specs for all tools or for the named ones', () => {
    const parameters = { type: 'object', properties: { q: { type: 'string' } } };
    const registry = new ToolRegistry()
      .register({ ...tool('search', parameters), description: 'Finds things.' })
      .register(tool('clock'));

    expect(registry.specs()).toEqual([
      { name: 'search', description: 'Finds things.', parameters },
      { name: 'clock', parameters: { type: 'object' } },
    ]);
    expect(registry.specs(['clock'])).toEqual([{ name: 'clock', parameters: { type: 'object' } }]);
    expect(() => registry.specs(['nope'])).toThrow("No tool named 'nope' is registered.");
  });

  it('checks arguments against the compiled schema and applies defaults', () => {
    const parameters = {
      type: 'object',
      properties: { limit: { type: 'integer', default: 10 }, q: { type: 'string' } },
      required: ['q'],
    };
    const registry = new ToolRegistry().register(tool('search', parameters));

    expect(registry.checkArguments('search', '{"q":"cats"}')).toEqual({
      ok: true,
      value: { q: 'cats', limit: 10 },
    });
    expect(registry.checkArguments('search', '{"limit":"ten"}')).toEqual({
      ok: false,
      message:
        "arguments do not match the schema: (root): missing required property 'q'; " +
        '/limit: must be integer',
    });
  });
});

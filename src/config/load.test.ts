import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isRampartError } from '../core/errors.js';
import { loadConfig, type LoadConfigOptions } from './load.js';
import { configSchema } from './schema.js';

const reference = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-config-'));
  dirs.push(dir);
  const file = join(dir, 'rampart.yaml');
  writeFileSync(file, text);
  return file;
}

function failure(options: LoadConfigOptions): string {
  try {
    loadConfig(options);
  } catch (error) {
    if (isRampartError(error, 'RAMPART_CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

/** Every key name the schema accepts, found by walking it. */
function schemaKeys(schema: unknown, into = new Set<string>()): Set<string> {
  const def = (schema as { _zod?: { def?: Record<string, unknown> } } | undefined)?._zod?.def;
  if (!def) return into;
  if (def.type === 'object') {
    for (const [key, inner] of Object.entries(def.shape as Record<string, unknown>)) {
      into.add(key);
      schemaKeys(inner, into);
    }
  }
  for (const field of ['innerType', 'valueType', 'element', 'in']) schemaKeys(def[field], into);
  for (const option of (def.options as unknown[] | undefined) ?? []) schemaKeys(option, into);
  return into;
}

describe('loadConfig', () => {
  it('starts on embedded defaults: simulated provider, one model, the demo assistant', () => {
    const config = loadConfig();
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8600 });
    expect(config.dataDir).toBe('./.rampart');
    expect(config.providers).toEqual({
      simulated: expect.objectContaining({ type: 'simulated', seed: 1 }),
    });
    expect(config.models['rampart-sim-1']).toMatchObject({ provider: 'simulated' });
    expect(config.assistants.default).toMatchObject({
      model: 'rampart-sim-1',
      tools: ['calculator', 'current_time'],
    });
    expect(Object.isFrozen(config.server)).toBe(true);
  });

  it('applies flags over environment over file', () => {
    const file = writeConfig('server:\n  port: 9001\n  host: 0.0.0.0\ndataDir: /tmp/file\n');
    const config = loadConfig({
      file,
      env: { RAMPART_PORT: '9002', RAMPART_DATA_DIR: '/tmp/env' },
      overrides: { dataDir: '/tmp/flag' },
    });
    expect(config.server.port).toBe(9002);
    expect(config.server.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe('/tmp/flag');
  });

  it('names an unknown key, including nested ones', () => {
    const message = failure({ object: { server: { prot: 1 }, colour: 'red' } });
    expect(message).toContain('server.prot: unknown key');
    expect(message).toContain('colour: unknown key');
  });

  it('names the key and the problem for a bad value', () => {
    const message = failure({ object: { server: { port: 70000 } } });
    expect(message).toMatch(/server\.port: .*65535/);
  });

  it('names the environment variable a bad value came from', () => {
    const message = failure({ env: { RAMPART_PORT: 'eighty' } });
    expect(message).toContain('server.port');
    expect(message).toContain('(from the environment variable RAMPART_PORT)');
    expect(message).toContain('invalid config in the defaults');
  });

  it('refuses a bad value in the file even when a flag overrides it', () => {
    const file = writeConfig('server:\n  port: 99999\n');
    expect(failure({ file, overrides: { port: 8601 } })).toMatch(/server\.port: .*65535/);
  });

  it('says a missing key is required', () => {
    const providers = { main: { type: 'openai' } };
    expect(failure({ object: { providers } })).toContain('providers.main.baseUrl: required');
  });

  it('refuses references to providers and models that do not exist', () => {
    const models = { fast: { provider: 'opnai', model: 'x' } };
    expect(failure({ object: { models } })).toContain(
      'models.fast.provider: unknown provider "opnai" (known: simulated)',
    );
    const assistants = { helper: { model: 'nope' } };
    expect(failure({ object: { assistants } })).toContain(
      'assistants.helper.model: unknown model "nope"',
    );
  });

  it('refuses an unknown provider in a fallback chain, naming its place', () => {
    const models = {
      smart: { provider: 'simulated', model: 'x', fallbacks: [{ provider: 'gone', model: 'y' }] },
    };
    expect(failure({ object: { models } })).toContain(
      'models.smart.fallbacks[0].provider: unknown provider "gone" (known: simulated)',
    );
  });

  it('takes webhook origins only, never a path that would not be enforced', () => {
    const resilience = (origin: string) => ({
      resilience: { degraded: { deferred: { webhooks: { allowedOrigins: [origin] } } } },
    });
    expect(failure({ object: resilience('https://hooks.example.com/only/here') })).toContain(
      'resilience.degraded.deferred.webhooks.allowedOrigins[0]: must be an origin only',
    );
    for (const origin of ['https://hooks.example.com', 'http://127.0.0.1:9000/']) {
      expect(() => loadConfig({ object: resilience(origin) })).not.toThrow();
    }
  });

  it('refuses a provider with an unknown type, naming it', () => {
    const message = failure({ object: { providers: { main: { type: 'gemini' } } } });
    expect(message).toContain('providers.main.type');
  });

  it('reports invalid YAML and unreadable files clearly', () => {
    expect(failure({ file: writeConfig('server: [unclosed\n') })).toMatch(/not valid YAML/);
    expect(failure({ file: '/nonexistent/rampart.yaml' })).toMatch(/cannot read config file/);
    expect(failure({ file: writeConfig('- a\n- b\n') })).toMatch(/top level must be a mapping/);
  });

  it('accepts the example in the configuration reference', () => {
    const example = /## Example\n\n```yaml\n([\s\S]*?)```/.exec(reference)?.[1];
    expect(example).toBeDefined();
    const config = loadConfig({ file: writeConfig(example!) });
    expect(Object.keys(config.models)).toEqual(['fast', 'smart']);
    expect(config.tools.weather?.timeoutMs).toBe(2000);
  });

  it('has every schema key documented in the configuration reference', () => {
    const undocumented = [...schemaKeys(configSchema)].filter(
      (key) => !reference.includes(`\`${key}\``) && !reference.includes(`.${key}\``),
    );
    expect(undocumented).toEqual([]);
  });
});

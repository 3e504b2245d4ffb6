import { describe, expect, it } from 'vitest';
import { modelName, parseName, toolName } from './stats-names.js';

describe('stats names', () => {
  it('encodes the target or tool, so a name always parses back to it', () => {
    expect(modelName('openai/gpt-4o:latest', 'ttft')).toBe('model:openai%2Fgpt-4o%3Alatest:ttft');
    expect(toolName('lookup#2', 'invalid_arguments')).toBe('tool:lookup%232:invalid_arguments');
    expect(parseName(modelName('a:b/c', 'calls'))).toEqual({
      kind: 'model',
      key: 'a:b/c',
      field: 'calls',
    });
  });

  it('stays right for every target and field past the names it keeps made', () => {
    // More targets than the kept names hold (1,024), each asked for twice, with both kinds.
    for (let round = 0; round < 2; round++) {
      for (let index = 0; index < 3_000; index++) {
        const target = `p${index}/m:${index}`;
        expect(parseName(modelName(target, 'duration'))).toEqual({
          kind: 'model',
          key: target,
          field: 'duration',
        });
        expect(parseName(toolName(`t${index}`, 'ok'))?.key).toBe(`t${index}`);
      }
    }
  });
});

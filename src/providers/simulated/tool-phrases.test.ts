import { describe, expect, it } from 'vitest';
import { findToolPhrases } from './tool-phrases.js';

describe('findToolPhrases', () => {
  it('finds several phrases in order with their exact argument text', () => {
    const text = 'please call calculator {"expression": "6*7"} and call current_time {}';
    expect(findToolPhrases(text)).toEqual([
      { name: 'calculator', arguments: '{"expression": "6*7"}' },
      { name: 'current_time', arguments: '{}' },
    ]);
  });

  it('keeps braces inside argument strings', () => {
    const text = 'call echo {"text": "a } b { c"} then stop';
    expect(findToolPhrases(text)).toEqual([{ name: 'echo', arguments: '{"text": "a } b { c"}' }]);
  });

  it('accepts dots and dashes in names and no space before the object', () => {
    expect(findToolPhrases('call fs.read-file{"path":"/x"}')).toEqual([
      { name: 'fs.read-file', arguments: '{"path":"/x"}' },
    ]);
  });

  it('skips a phrase whose object never closes and words that only end in "call"', () => {
    expect(findToolPhrases('call broken {"a": 1 and recall x {}')).toEqual([]);
  });

  it('passes a balanced but invalid object through unchanged', () => {
    expect(findToolPhrases('call grep {"pattern": "\\d+"')).toEqual([]);
    expect(findToolPhrases('call grep {pattern: \\d+}')).toEqual([
      { name: 'grep', arguments: '{pattern: \\d+}' },
    ]);
  });
});

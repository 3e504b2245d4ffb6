import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks the password and the query values, and keeps the rest', () => {
    expect(redactUrl('http://user:s3cret@127.0.0.1:4318/v1/traces?x=1')).toBe(
      'http://user:***@127.0.0.1:4318/v1/traces?x=***',
    );
    expect(redactUrl('https://collector.example/v1/traces?apikey=s3cret&region=eu#top')).toBe(
      'https://collector.example/v1/traces?apikey=***&region=***#top',
    );
    expect(redactUrl('https://TOKENONLY123@hooks.example/x?SECRETTOKEN123&a=1')).toBe(
      'https://***@hooks.example/x?***&a=***',
    );
  });

  it('says nothing of a URL it cannot parse', () => {
    expect(redactUrl('not a url with s3cret')).toBe('the configured URL');
    expect(redactUrl('::', 'the collector URL')).toBe('the collector URL');
  });
});

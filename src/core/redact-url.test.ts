import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('masks the password and the query values, and keeps the rest', () => {
    expect(redactUrl('http://user:s3cret@127.0.0.1:4318/v1/traces?x=1')).toBe(
      'http://user:***@127.0.0.1:4318/v1/traces?x=***',
    );
    expect(redactUrl('https://collector.example/v1/traces?apikey=s3cret&region=eu#top')).toBe(
      'https://collector.example/v1/traces?apikey=***&region=***#***',
    );
    expect(redactUrl('https://hooks.example/x#token=Ab3dEf6hIj9lMn2pQr5tUv8x')).toBe(
      'https://hooks.example/x#***',
    );
    expect(redactUrl('https://TOKENONLY123@hooks.example/x?SECRETTOKEN123&a=1')).toBe(
      'https://***@hooks.example/x?***&a=***',
    );
  });

  it('masks path segments that look like tokens, as incoming webhooks carry them', () => {
    const token = 'Ab3dEf6hIj9lMn2pQr5tUv8x';
    expect(redactUrl(`https://hooks.slack.com/services/T0123ABCD/B0456EFGH/${token}`)).toBe(
      'https://hooks.slack.com/services/T0123ABCD/B0456EFGH/***',
    );
    const discord = `https://discord.com/api/webhooks/1234567890123456789/${token}${token}-_x`;
    expect(redactUrl(discord)).toBe('https://discord.com/api/webhooks/***/***');
    const guid = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(
      redactUrl(
        `https://acme.webhook.office.com/webhookb2/${guid}@${guid}/IncomingWebhook/${'a1'.repeat(16)}/${guid}`,
      ),
    ).toBe('https://acme.webhook.office.com/webhookb2/***/IncomingWebhook/***/***');
    // Long lower-case words with no digit are names, not tokens, until they reach 32 characters.
    expect(redactUrl('https://ops.example/hooks/rampart-alerts-production/v1/traces')).toBe(
      'https://ops.example/hooks/rampart-alerts-production/v1/traces',
    );
    expect(redactUrl(`https://ops.example/${'abcdefgh'.repeat(4)}/x`)).toBe(
      'https://ops.example/***/x',
    );
    // Percent-encoding adds no digit or capital to a name; a token encoded is masked whole.
    expect(redactUrl('https://ops.example/hooks/%C3%A9quipe-donn%C3%A9es/my%20alerts%20chan')).toBe(
      'https://ops.example/hooks/%C3%A9quipe-donn%C3%A9es/my%20alerts%20chan',
    );
    expect(redactUrl('https://ops.example/t/abc%2Fdef%3D0123456789')).toBe(
      'https://ops.example/t/***',
    );
  });

  it('keeps the path when asked to, as a database name is no secret', () => {
    const url = 'postgres://app:s3cret@db.internal:5432/Rampart_Production_2026';
    expect(redactUrl(url, { pathTokens: false })).toBe(
      'postgres://app:***@db.internal:5432/Rampart_Production_2026',
    );
    expect(redactUrl(url)).toBe('postgres://app:***@db.internal:5432/***');
  });

  it('says nothing of a URL it cannot parse', () => {
    expect(redactUrl('not a url with s3cret')).toBe('the configured URL');
    expect(redactUrl('::', 'the collector URL')).toBe('the collector URL');
    expect(redactUrl('::', { unparsable: 'the webhook URL' })).toBe('the webhook URL');
  });
});

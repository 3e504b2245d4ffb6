import { describe, expect, it } from 'vitest';
import { findSensitive, redactText } from './redact-text.js';
import { generateApiKey } from '../../store/api-key-format.js';
import { BASE62, fakeChars, HEX } from './test-support/fake-values.js';
import { splitAt, streamProblem } from './test-support/stream.js';

/** The rules that matched, with the text each covered. */
function secrets(text: string): [string, string][] {
  return findSensitive(text, { types: ['secret'] }).map((finding) => [
    finding.rule,
    text.slice(finding.start, finding.end),
  ]);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

describe('provider tokens', () => {
  it.each([
    ['anthropic-api-key', `sk-ant-api03-${fakeChars(40, BASE62)}`],
    ['openai-api-key', `sk-proj-${fakeChars(48, BASE62)}`],
    ['aws-access-key', `AKIA${fakeChars(16, UPPER)}`],
    ['github-token', `ghp_${fakeChars(36, BASE62)}`],
    ['github-token', `ghs_${fakeChars(36, BASE62)}`],
    ['github-fine-grained-token', `github_pat_11${fakeChars(80, BASE62)}`],
    ['gitlab-token', `glpat-${fakeChars(20, BASE62)}`],
    ['slack-token', `xoxb-123456789012-123456789012-${fakeChars(24, BASE62)}`],
    ['slack-webhook', `https://hooks.slack.com/services/T0000/B0000/${fakeChars(24, BASE62)}`],
    ['stripe-secret-key', `sk_live_${fakeChars(24, BASE62)}`],
    ['stripe-secret-key', `rk_live_${fakeChars(24, BASE62)}`],
    ['google-api-key', `AIza${fakeChars(35, BASE62)}`],
    ['sendgrid-api-key', `SG.${fakeChars(22, BASE62)}.${fakeChars(43, BASE62)}`],
    ['twilio-key', `SK${fakeChars(32, HEX)}`],
    ['npm-token', `npm_${fakeChars(36, BASE62)}`],
    ['pypi-token', `pypi-AgEIcHlwaS5vcmc${fakeChars(60, BASE62)}`],
    ['huggingface-token', `hf_${fakeChars(34, BASE62)}`],
    ['shopify-token', `shpat_${fakeChars(32, HEX)}`],
    ['mailchimp-api-key', `${fakeChars(32, HEX)}-us13`],
    ['digitalocean-token', `dop_v1_${fakeChars(64, HEX)}`],
  ])('%s: %s', (rule, value) => {
    expect(secrets(`config: "${value}" done`)).toEqual([[rule, value]]);
  });

  it("finds Rampart's own API keys, whole and streamed a character at a time", () => {
    for (let round = 0; round < 20; round++) {
      const { key } = generateApiKey();
      expect(secrets(`export KEY=${key}`)).toEqual([['rampart-api-key', key]]);
      const text = `your key is ${key} keep it safe`;
      expect(streamProblem([...text])).toBeNull();
      expect(redactText(text).text).toBe('your key is [REDACTED:secret] keep it safe');
    }
  });

  it('ignores prefixes with too short a body', () => {
    expect(secrets('the ghp_abc prefix and sk-short and AKIA1234 are not keys')).toEqual([]);
  });
});

describe('structured secrets', () => {
  it('finds a whole PEM private key block, header to footer', () => {
    const block = `-----BEGIN OPENSSH PRIVATE KEY-----\n${fakeChars(64, BASE62)}\n${fakeChars(20, BASE62)}==\n-----END OPENSSH PRIVATE KEY-----`;
    expect(redactText(`key:\n${block}\nthanks`).text).toBe('key:\n[REDACTED:secret]\nthanks');
  });

  it('leaves certificates and public keys alone', () => {
    const text = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(secrets(text)).toEqual([]);
  });

  it('finds JSON web tokens', () => {
    const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${fakeChars(43, BASE62)}`;
    expect(secrets(`Authorization header: ${jwt}`)).toContainEqual(['jwt', jwt]);
  });

  it('redacts only the password of a credential URL', () => {
    const text = 'DATABASE_URL=postgres://app_user:Corr3ctHorse99@db.internal:5432/app';
    expect(redactText(text).text).toBe(
      'DATABASE_URL=postgres://app_user:[REDACTED:secret]@db.internal:5432/app',
    );
  });
});

describe('secret assignments', () => {
  it('redacts the value after a credential key', () => {
    expect(redactText('api_key = "q8ZxT4mW2pL7vN3rK9sD5fH1"').text).toBe(
      'api_key = "[REDACTED:secret]"',
    );
    expect(redactText('export DB_PASSWORD=Tr0ub4dor&3').text).toBe(
      'export DB_PASSWORD=[REDACTED:secret]',
    );
    expect(redactText('The password is "hunter2hunter2".').text).toBe(
      'The password is "[REDACTED:secret]".',
    );
  });

  it('leaves references, placeholders and code alone', () => {
    const text = [
      'password = "${DB_PASSWORD}"',
      'password: <your password>',
      'token = getToken()',
      'secret = process.env.SECRET',
      'password = "xxxxxxxxxx"',
      'api_key: "****************"',
      'token: "<API_TOKEN>"',
    ].join('\n');
    expect(secrets(text)).toEqual([]);
  });

  it('takes a repeated-letter example value after a credential key as a value', () => {
    // Documentation writes example keys this way; only masks (`xxxx`, `****`) are placeholders.
    expect(secrets('api_key: "aaaaaaaaaaaaaaaa"')).toEqual([
      ['secret-assignment', 'aaaaaaaaaaaaaaaa'],
    ]);
  });

  it('ignores prose that mentions passwords', () => {
    expect(secrets('Reset your password through the settings page.')).toEqual([]);
  });
});

describe('credentials in markdown', () => {
  it.each([
    '**Password:** Tr0ub4dor3',
    '**Password**: `Tr0ub4dor3`',
    '*api_key*: Tr0ub4dor3',
    '- **DB_PASSWORD**: "Tr0ub4dor3"',
    '__password__ = Tr0ub4dor3',
    '**API Key:** `Tr0ub4dor3`',
    '**Secret Key**: Tr0ub4dor3',
    '**Access token:** Tr0ub4dor3',
  ])('redacts the value of %s', (line) => {
    const text = `Use these settings:\n\n${line}\n\nThen restart.`;
    expect(redactText(text).text).not.toContain('Tr0ub4dor3');
    for (let offset = 0; offset <= text.length; offset += 3) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
    expect(streamProblem([...text])).toBeNull();
  });

  it('leaves bold labels that name no credential alone', () => {
    const text = '**Note:** restart_the_server **Step 2**: run_migrations';
    expect(redactText(text).text).toBe(text);
  });

  it.each([
    '**Secret:** **Never** share it.',
    '- **Token**: Generated automatically',
    '**Access Token:** Expires in 1 hour',
    '**Password**: case-sensitive, at least 12 characters',
    '**API Key:** Generated in the dashboard',
    '**Secret Key**: Stored in Vault',
  ])('reads "%s" as prose under a label, not as a value', (text) => {
    expect(redactText(text).text).toBe(text);
  });
});

describe('a password in a markdown table', () => {
  it.each([
    '| Password | Tr0ub4dor3 |',
    '| **Password** | `Tr0ub4dor3` |',
    '| passphrase | Tr0ub4dor3 |',
    '|Passwd|  Tr0ub4dor3|',
    '|Password|Tr0ub4dor3|',
  ])('redacts the value of the row %s', (row) => {
    const text = `| Field | Value |\n| --- | --- |\n| Username | admin |\n${row}\n| Host | db.internal |`;
    const redacted = redactText(text);
    expect(redacted.text).not.toContain('Tr0ub4dor3');
    expect(redacted.text).toContain('| Username | admin |');
    for (let offset = 0; offset <= text.length; offset += 3) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
    expect(streamProblem([...text])).toBeNull();
  });

  it.each([
    ['| Password | Xk9#fT2q horse staple |', 'Xk9#fT2q horse staple'],
    ['|Passphrase|  `Tr0ub4dor3 correct horse`  |', 'Tr0ub4dor3 correct horse'],
    ['| Password | Xk9#fT2q horse staple\n| Host | db |', 'Xk9#fT2q horse staple'],
  ])('redacts a passphrase with spaces as the whole cell: %s', (row, value) => {
    const text = `| Field | Value |\n| --- | --- |\n${row}\n\nUse it once.`;
    const redacted = redactText(text);
    expect(redacted.text).toBe(text.replace(value, '[REDACTED:secret]'));
    for (let offset = 0; offset <= text.length; offset += 2) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
    expect(streamProblem([...text])).toBeNull();
  });

  it('reads a cell the text ends in up to the end, stream and whole alike', () => {
    const text = '| Password | Xk9#fT2q horse staple  ';
    expect(redactText(text).text).toBe('| Password | [REDACTED:secret]');
    expect(streamProblem([...text])).toBeNull();
  });

  it('reads at most CELL_MAX characters of a cell as its value, ending after a whole word', () => {
    // 81 characters of words, then one of 30 across the 100th.
    const words = 'Xk9#fT2q ' + 'horse '.repeat(12) + 'staple'.repeat(5);
    const text = `| Password | ${words} |`;
    // The words within the first 100 characters; the word across the cap is not cut in two.
    expect(redactText(text).text).toBe(`| Password | [REDACTED:secret] ${'staple'.repeat(5)} |`);
    expect(streamProblem([...text])).toBeNull();
  });

  it.each([
    ['| Password | Xk9#fT2q horse \\| staple |', '| Password | [REDACTED:secret] |'],
    ['| Password | Xk9#fT2q\\|horse staple |', '| Password | [REDACTED:secret] |'],
    [
      '| Password | `Xk9#fT2q` (rotated weekly) |',
      '| Password | `[REDACTED:secret]` (rotated weekly) |',
    ],
    ['| Password | `Xk9#fT2q horse` |', '| Password | `[REDACTED:secret]` |'],
    ['| Admin Password | Xk9#fT2q horse |', '| Admin Password | [REDACTED:secret] |'],
    ['Password | Xk9#fT2q horse', 'Password | [REDACTED:secret]'],
  ])('ends the value where the cell or its code span ends: %s', (text, expected) => {
    expect(redactText(text).text).toBe(expected);
    expect(streamProblem([...text])).toBeNull();
    for (let offset = 0; offset <= text.length; offset++) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
  });

  it('holds a long run in a password cell as a token of its own, not the cell with it', () => {
    const run = 'A1b2C3d4e5'.repeat(820);
    const row = `| Password | Xk9#fT2q ${run} |\n`;
    const redacted = redactText(row).text;
    expect(redacted.startsWith('| Password | [REDACTED:secret] ')).toBe(true);
    const pieces = row.match(/[\s\S]{1,8}/g) ?? [];
    expect(streamProblem(pieces)).toBeNull();
  });

  it.each([
    '| password | string | The account password |',
    '| Password | Required |',
    '| password | case-sensitive |',
    '| Password | ******** |',
    '| Password | your-password |',
    '| Password | SHA-256 hash |',
    '| Password | UTF-8 string, 8-64 chars |',
    '| Password | 8-128 characters |',
    '| Password | Argon2id hash |',
    '| Passcode | 6-digit PIN |',
    '| Password | 12345678 digits only |',
    '| Password | OAuth2 only, no local login |',
    'cat /etc/passwd | base64 -w0 > users.b64',
    'echo $passwd | python3 -c "import sys"',
  ])('leaves a table that documents a field alone: %s', (row) => {
    expect(redactText(row).text).toBe(row);
  });
});

describe('a password written out in prose', () => {
  it.each([
    ['Your temporary password is Xk9#fT2q. Change it soon.', 'Xk9#fT2q'],
    ['The Wi-Fi password is Tr0ub4dor&3', 'Tr0ub4dor&3'],
    ['The admin passphrase was hunter2!', 'hunter2'],
    ['Your password is: Xk9#fT2qLm', 'Xk9#fT2qLm'],
    ['The admin password is now Xk9#fT2qLm.', 'Xk9#fT2qLm'],
    ['I set the password to Xk9#fT2qLm for you.', 'Xk9#fT2qLm'],
    ['Your password will be Xk9#fT2qLm until you change it.', 'Xk9#fT2qLm'],
  ])('redacts the value in %s', (text, value) => {
    const redacted = redactText(text).text;
    expect(redacted).not.toContain(value);
    expect(redacted).toContain('[REDACTED:secret]');
    for (let offset = 0; offset <= text.length; offset++) {
      expect(streamProblem(splitAt(text, [offset]))).toBeNull();
    }
  });

  it.each([
    'The password is required.',
    'Your password is incorrect, try again.',
    'The password was changed yesterday.',
    'The password is at least 12 characters long.',
    'The password is case-sensitive.',
    'The password is user-defined and base64-encoded.',
    'The password was re-entered.',
    'Change your password to something strong.',
    'The password will be sent by email.',
    'Your password is now expired.',
  ])('leaves "%s" alone', (text) => {
    expect(redactText(text).text).toBe(text);
  });
});

describe('placeholders and look-alike names', () => {
  const xs = (count: number) => 'x'.repeat(count);
  const upper = (count: number) => 'X'.repeat(count);

  it.each([
    `DB_PASSWORD=Xk9fT2qLm7/${xs(4)}`,
    `export API_TOKEN=Qw9Er7Ty5Ui3#${xs(4)}`,
    `https://api.example.com/v1/charge?api_key=AbC123xyz789QwE&card=${upper(12)}4242`,
  ])('redacts a key with an x run beside it: %s', (text) => {
    expect(redactText(text).text).toContain('[REDACTED:secret]');
  });

  it.each([`api_key=sk_live_${xs(12)}`, `AWS_SECRET=${upper(16)}`, 'token: your-token-here'])(
    'leaves a stand-in alone: %s',
    (text) => {
      expect(redactText(text).text).toBe(text);
    },
  );

  it('reads no credential into words that only start with pass', () => {
    for (const text of [
      'passenger_count: 12345678',
      'passport_no = X1234567',
      'passthrough: enabled1',
    ]) {
      expect(redactText(text).text, text).toBe(text);
    }
    expect(redactText('pass_hash: Xk9fT2qLm7').text).toBe('pass_hash: [REDACTED:secret]');
  });
});

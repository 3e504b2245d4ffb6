import { describe, expect, it } from 'vitest';
import { findSensitive } from './index.js';

function secrets(text: string): string[] {
  return findSensitive(text, { types: ['secret'] }).map((finding) =>
    text.slice(finding.start, finding.end),
  );
}

describe('quoted credential values', () => {
  it('takes the whole quoted value, spaces and punctuation included', () => {
    expect(secrets("db_password = 'correct horse'")).toEqual(['correct horse']);
    expect(secrets('signing_secret: "k#9 ;x}`q"')).toEqual(['k#9 ;x}`q']);
    expect(secrets('"apiKey" => "t0k 3n!"')).toEqual(['t0k 3n!']);
  });

  it('leaves prompts, references, routes and code between literals alone', () => {
    const text = [
      'password = "Enter your new password"',
      'password = "${DB_PASS}"',
      "secret: '{{ vault_secret }}'",
      'password => "users/passwords#reset"',
      'log("Password: " + readPassword() + ".")',
    ].join('\n');
    expect(secrets(text)).toEqual([]);
  });

  it('reads a quoted name followed by its quoted value in a call', () => {
    expect(secrets('setConfig("STRIPE_API_KEY", "9c1e44ab07d2")')).toEqual(['9c1e44ab07d2']);
    expect(secrets("encode('api_key', 'base64')")).toEqual([]);
  });

  it('reads the password argument of a login call', () => {
    expect(secrets("client.login('mallory', 'tea party')")).toEqual(['tea party']);
  });

  it('reads prose that names whose password it is, when the value is quoted', () => {
    expect(secrets('The password for the admin account is "plover".')).toEqual(['plover']);
    expect(secrets('The password for the admin account is on the wiki.')).toEqual([]);
  });
});

describe('named shapes', () => {
  it('reads credentials in public front-end variables, user names included', () => {
    expect(secrets('VITE_SMTP_USER=mailer')).toEqual(['mailer']);
    expect(secrets('NEXT_PUBLIC_ADMIN_PASS=lemonade')).toEqual(['lemonade']);
    expect(secrets('REACT_APP_LOGIN_USER=$LOGIN_USER')).toEqual([]);
  });

  it('reads any `.key` name only when its value looks generated', () => {
    expect(secrets('stripe.key = "4fd0c2a9e71b38c6d5"')).toEqual(['4fd0c2a9e71b38c6d5']);
    expect(secrets('cache.key = "user_profile_settings"')).toEqual([]);
  });
});

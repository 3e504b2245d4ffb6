// Fake values for tests, built here so every one is known to pass (or fail) its checksum.

/** `partial` plus the Luhn check digit that makes the whole number valid. */
export function withLuhnDigit(partial: string): string {
  for (let check = 0; check <= 9; check++) {
    const candidate = `${partial}${check}`;
    if (luhnSum(candidate) % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

function luhnSum(digits: string): number {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum;
}

/** The same number with its last digit changed, so the Luhn check fails. */
export function breakLuhn(valid: string): string {
  const last = Number(valid.at(-1));
  return `${valid.slice(0, -1)}${(last + 1) % 10}`;
}

/** A valid IBAN for `country` and account part `bban`: the check digits are computed. */
export function ibanFor(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.toUpperCase();
  let remainder = 0;
  for (const char of rearranged) {
    const value = Number.parseInt(char, 36);
    remainder = (remainder * (value > 9 ? 100 : 10) + value) % 97;
  }
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

/** Groups of four separated by spaces, as IBANs are printed. */
export function groupsOfFour(value: string): string {
  return value.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A deterministic pseudo-random string over `alphabet`, so fixtures are reproducible. */
export function fakeChars(length: number, alphabet: string, seed = 7): string {
  let state = seed;
  let out = '';
  for (let index = 0; index < length; index++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    out += alphabet[state % alphabet.length];
  }
  return out;
}

export const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const HEX = '0123456789abcdef';

import { describe, expect, it } from 'vitest';
import { findSensitive } from './redact-text.js';
import { breakLuhn, groupsOfFour, ibanFor, withLuhnDigit } from './test-support/fake-values.js';
import type { SensitiveType } from './types.js';

/** The matched texts of one type. */
function found(text: string, type: SensitiveType): string[] {
  return findSensitive(text)
    .filter((finding) => finding.type === type)
    .map((finding) => text.slice(finding.start, finding.end));
}

const VISA = withLuhnDigit('400000123456789');
const AMEX = withLuhnDigit('37828224631000');

describe('cards', () => {
  it('finds Luhn-valid numbers in one run or in printed groups', () => {
    const spaced = VISA.replace(/(\d{4})(?=\d)/g, '$1 ');
    const dashed = VISA.replace(/(\d{4})(?=\d)/g, '$1-');
    const amex = `${AMEX.slice(0, 4)} ${AMEX.slice(4, 10)} ${AMEX.slice(10)}`;
    const text = `a ${VISA}, b ${spaced}; c ${dashed} d ${amex}.`;
    expect(found(text, 'card')).toEqual([VISA, spaced, dashed, amex]);
  });

  it('ignores Luhn failures, too-long runs and mixed separators', () => {
    expect(found(`paid with ${breakLuhn(VISA)}`, 'card')).toEqual([]);
    expect(found(`id ${VISA}1234`, 'card')).toEqual([]);
    expect(found(`x ${VISA.slice(0, 4)} ${VISA.slice(4, 8)}-${VISA.slice(8)}`, 'card')).toEqual([]);
  });

  it('finds a card followed by its expiry date, security code or another number', () => {
    const spaced = VISA.replace(/(\d{4})(?=\d)/g, '$1 ');
    const dashed = VISA.replace(/(\d{4})(?=\d)/g, '$1-');
    expect(found(`Card ${spaced} 08/27 cvv 123`, 'card')).toEqual([spaced]);
    expect(found(`Card ${dashed} 0827`, 'card')).toEqual([dashed]);
    expect(found(`card ${VISA} 1`, 'card')).toEqual([VISA]);
    expect(found(`card ${spaced} 123`, 'card')).toEqual([spaced]);
    expect(found(`qty 2 ${spaced}`, 'card')).toEqual([spaced]);
  });

  it('finds a card whose groups are split by other spaces and dashes', () => {
    for (const separator of [
      '\t',
      '\u00a0',
      '\u2007',
      '\u2009',
      '\u202f',
      '  ',
      '\u2013',
      '\u2011',
    ]) {
      const grouped = VISA.replace(/(\d{4})(?=\d)/g, `$1${separator}`);
      expect(found(`pay ${grouped} now`, 'card'), JSON.stringify(separator)).toEqual([grouped]);
    }
    // A line break between groups is a list of numbers, not a card.
    expect(found(VISA.replace(/(\d{4})(?=\d)/g, '$1\n'), 'card')).toEqual([]);
  });

  it('leaves lists and columns of four-digit numbers alone', () => {
    for (const text of [
      'Years 2016 2017 2018 2019 2020 2021',
      'ids: 1001 1002 1003 1004 1005 1006 1007 1008',
      'Sales\t1200\t3400\t5600\t7800\t9100',
    ]) {
      expect(found(text, 'card'), text).toEqual([]);
    }
    // Every run of six years from 1990 on: about one in ten fours of them passes the check.
    for (let start = 1990; start < 2030; start++) {
      const years = Array.from({ length: 6 }, (_, index) => start + index).join(' ');
      expect(found(`Revenue by year: ${years}.`, 'card'), years).toEqual([]);
    }
  });

  it('reads a longer grouped number from its start only', () => {
    const spaced = VISA.replace(/(\d{4})(?=\d)/g, '$1 ');
    expect(found(`ref 5555 1234 5678 9012 3456 7890`, 'card')).toEqual([]);
    // A card after a group of four is not told apart from a longer number (a known miss).
    expect(found(`ref 5555 ${spaced}`, 'card')).toEqual([]);
  });

  it('takes a 12-digit number as a card only when the text calls it one', () => {
    const short = withLuhnDigit('50186466790');
    expect(found(`limit for card ${short}?`, 'card')).toEqual([short]);
    expect(found(`order ${short} shipped`, 'card')).toEqual([]);
  });
});

describe('US social security numbers', () => {
  it('finds dashed and spaced forms that follow the SSA rules', () => {
    expect(found('SSN 219-09-9999 and 219 09 9999', 'ssn')).toEqual(['219-09-9999', '219 09 9999']);
  });

  it('finds one grouped by no-break or thin spaces', () => {
    expect(found('SSN 219\u00a009\u00a09999.', 'ssn')).toEqual(['219\u00a009\u00a09999']);
    expect(found('SSN 219\u202f09\u202f9999.', 'ssn')).toEqual(['219\u202f09\u202f9999']);
  });

  it('finds a dashed SSN followed by a year, and one grouped by other dashes', () => {
    expect(found('SSN 219-09-9999 1990', 'ssn')).toEqual(['219-09-9999']);
    expect(found('SSN 219\u201309\u20139999', 'ssn')).toEqual(['219\u201309\u20139999']);
    // A dash and more digits make it a longer number, whichever dash.
    expect(found('part 219-09-9999-12', 'ssn')).toEqual([]);
    expect(found('part 12\u2013219\u201309\u20139999', 'ssn')).toEqual([]);
  });

  it('leaves triples of numbers in tables and lists alone', () => {
    for (const text of [
      'Widget\t120\t15\t1800',
      'row: 5 120 15 1800 7',
      'coords 512 34 1024 768',
      'Dimensions  120  45  2000',
      'Build 2024 123 45 6789 done',
      'Range 219 09 9999 12',
    ]) {
      expect(found(text, 'ssn'), text).toEqual([]);
    }
  });

  it('rejects area 000, 666, 9xx, group 00 and serial 0000', () => {
    const text = '000-12-3456 666-12-3456 912-12-3456 219-00-3456 219-09-0000';
    expect(found(text, 'ssn')).toEqual([]);
  });

  it('takes an undashed nine-digit run only after a context word', () => {
    expect(found('my SSN: 219099999', 'ssn')).toEqual(['219099999']);
    expect(found('order number 219099999', 'ssn')).toEqual([]);
  });
});

describe('IBANs', () => {
  const german = ibanFor('DE', '370400440532013000');
  const british = ibanFor('GB', 'TEST12345612345678');

  it('finds compact, grouped and lower-case IBANs with a valid checksum', () => {
    const text = `to ${german}, or ${groupsOfFour(british)} or ${british.toLowerCase()}.`;
    expect(found(text, 'iban')).toEqual([german, groupsOfFour(british), british.toLowerCase()]);
  });

  it('finds IBANs grouped by hyphens or no-break and thin spaces', () => {
    const dashed = groupsOfFour(german).replace(/ /g, '-');
    const noBreak = groupsOfFour(german).replace(/ /g, '\u00a0');
    const thin = groupsOfFour(british).replace(/ /g, '\u202f');
    const text = `IBAN: ${dashed}; IBAN ${noBreak}. Or ${thin}.`;
    expect(found(text, 'iban')).toEqual([dashed, noBreak, thin]);
  });

  it('leaves the groups of a UUID alone, even where they pass the checksum', () => {
    const uuid = '862c4d83-9051-4485-be68-8d27c96bc5fb';
    expect(found(`id ${uuid} ok`, 'iban')).toEqual([]);
    const mixed = groupsOfFour(german).replace(' ', '-');
    expect(found(`to ${mixed}.`, 'iban')).toEqual([]);
  });

  it('stops at the country length when a four-letter word follows', () => {
    const belgian = ibanFor('BE', '539007547034');
    expect(found(`pay ${groupsOfFour(belgian)} then`, 'iban')).toEqual([groupsOfFour(belgian)]);
  });

  it('rejects a wrong check digit', () => {
    const broken = german.replace(
      /^DE(\d\d)/,
      (_, digits: string) => `DE${(Number(digits) + 1) % 100}`,
    );
    expect(found(`to ${broken}`, 'iban')).toEqual([]);
  });
});

describe('emails', () => {
  it('finds addresses and leaves a sentence full stop outside', () => {
    expect(found('write to ada.example+tag@mail.example.org.', 'email')).toEqual([
      'ada.example+tag@mail.example.org',
    ]);
  });

  it('ignores handles and hosts without a top-level domain', () => {
    expect(found('ping @ada or root@localhost', 'email')).toEqual([]);
  });

  it('finds addresses with letters beyond ASCII whole, local part and domain', () => {
    const text = 'josé@example.com, müller@firma.de, info@münchen.de and 李雷@例子.中国.';
    expect(found(text, 'email')).toEqual([
      'josé@example.com',
      'müller@firma.de',
      'info@münchen.de',
      '李雷@例子.中国',
    ]);
  });
});

describe('IP addresses', () => {
  it('finds IPv4 with valid octets and full or compressed IPv6', () => {
    const text =
      'from 203.0.113.77, 2001:0db8:0000:0000:0000:ff00:0042:8329 and fe80::1ff:fe23:4567:890a';
    expect(found(text, 'ip')).toEqual([
      '203.0.113.77',
      '2001:0db8:0000:0000:0000:ff00:0042:8329',
      'fe80::1ff:fe23:4567:890a',
    ]);
  });

  it('finds an address after a label and a colon, and an IPv4-mapped IPv6 one', () => {
    const text =
      'inet addr:192.168.1.10  Bcast:192.168.1.255 [client:203.0.113.7] ::ffff:192.0.2.128';
    expect(found(text, 'ip')).toEqual([
      '192.168.1.10',
      '192.168.1.255',
      '203.0.113.7',
      '::ffff:192.0.2.128',
    ]);
  });

  it('ignores bad octets, versions, times and MAC addresses', () => {
    const text = 'ip 256.1.1.1, v1.2.3.4, at 12:30:45, mac 00:1a:2b:3c:4d:5e';
    expect(found(text, 'ip')).toEqual([]);
  });
});

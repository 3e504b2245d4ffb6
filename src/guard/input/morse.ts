const CODE: Readonly<Record<string, string>> = {
  '.-': 'a',
  '-...': 'b',
  '-.-.': 'c',
  '-..': 'd',
  '.': 'e',
  '..-.': 'f',
  '--.': 'g',
  '....': 'h',
  '..': 'i',
  '.---': 'j',
  '-.-': 'k',
  '.-..': 'l',
  '--': 'm',
  '-.': 'n',
  '---': 'o',
  '.--.': 'p',
  '--.-': 'q',
  '.-.': 'r',
  '...': 's',
  '-': 't',
  '..-': 'u',
  '...-': 'v',
  '.--': 'w',
  '-..-': 'x',
  '-.--': 'y',
  '--..': 'z',
  '-----': '0',
  '.----': '1',
  '..---': '2',
  '...--': '3',
  '....-': '4',
  '.....': '5',
  '-....': '6',
  '--...': '7',
  '---..': '8',
  '----.': '9',
  '.-.-.-': '.',
  '--..--': ',',
  '..--..': '?',
};
// Twenty or more Morse letters in a row: shorter runs are ellipses and dashes in prose.
const MORSE_RUN = /(?:[.-]{1,6}(?: {1,3}| ?\/ ?)){19,}[.-]{1,6}/g;

function decodeRun(run: string): string {
  return run
    .split(/ {2,}| ?\/ ?/)
    .map((word) =>
      word
        .split(' ')
        .map((letter) => CODE[letter] ?? '')
        .join(''),
    )
    .join(' ');
}

/** The decoded text of the Morse-code runs in `text`, or undefined when there are none. */
export function decodeMorse(text: string): string | undefined {
  if (!text.includes('.-') && !text.includes('-.')) return undefined;
  const decoded = [...text.matchAll(MORSE_RUN)].map(([run]) => decodeRun(run));
  return decoded.length === 0 ? undefined : decoded.join(' ');
}

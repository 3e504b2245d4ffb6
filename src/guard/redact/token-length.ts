/**
 * No token pattern matches more than this many characters: the longest are a JWT (header 1,500,
 * payload 5,200, signature 1,400, as a 8192-bit RSA key signs) and a base64 PEM block (8,000,
 * a 4096-bit RSA key with room to spare). A stream holds a run without a break whole up to this
 * length (`tail.ts`), and a long run is searched in pieces that overlap by it (`regex-scan.ts`),
 * so a token is always seen whole. Raise it with any pattern that can match more.
 */
export const MAX_TOKEN = 8192;

/** `Bearer <token>`: the scheme is case-insensitive (RFC 9110 §11.1), the token has no spaces. */
const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` value, or `undefined` for any other value. */
export function parseBearer(headerValue: string | undefined): string | undefined {
  if (typeof headerValue !== 'string') return undefined;
  return BEARER.exec(headerValue)?.[1];
}

import type { FastifyInstance } from 'fastify';
import { RampartError } from '../core/errors.js';

/**
 * JSON bodies only: the text parser is removed so anything but JSON gets 415 instead of being
 * half-parsed, and an empty JSON body (a `DELETE` or a `POST /v1/sessions` sent with the header
 * but no body) reads as "no body" instead of a parse error. Everything else goes to Fastify's own
 * parser, which refuses prototype-poisoning keys.
 */
export function useJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text === '') {
      done(null, undefined);
      return;
    }
    void parseJson(request, text, (error, value) => {
      if (error === null || error === undefined) done(null, value);
      else
        done(
          (error as { code?: string }).code === INVALID_JSON ? whyNotJson(text) : error,
          undefined,
        );
    });
  });
}

const INVALID_JSON = 'FST_ERR_CTP_INVALID_JSON_BODY';

/**
 * Fastify's parser says only that a body is not valid JSON; the engine's own message says where
 * (`Unexpected token } in JSON at position 12`). Read again only for a body that failed.
 */
function whyNotJson(text: string): RampartError {
  try {
    JSON.parse(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'it could not be parsed';
    return new RampartError(
      'RAMPART_INVALID_JSON',
      `The request body is not valid JSON: ${detail}`,
    );
  }
  // Valid JSON the parser refused: it holds a key that would poison prototypes.
  return new RampartError(
    'RAMPART_INVALID_JSON',
    'The request body holds a "__proto__" or "constructor.prototype" key, which is refused.',
  );
}

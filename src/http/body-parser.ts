import type { FastifyInstance } from 'fastify';

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
    void parseJson(request, text, done);
  });
}

import type { FastifyInstance } from 'fastify';

/**
 * Remembers every route's path pattern and methods, so a request for a known path with the wrong
 * method is told 405 (with `Allow`) instead of a misleading "unknown route".
 */
export class RouteTable {
  private readonly routes: Array<{ pattern: RegExp; template: string; methods: Set<string> }> = [];

  watch(app: FastifyInstance): void {
    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const source = route.url.replace(/:[^/]+/g, '[^/]+');
      // Exactly the path: Fastify routes `/v1/messages/` apart from `/v1/messages`, so a method
      // the route takes would be answered "not allowed" there, naming itself as the one to use.
      const pattern = new RegExp(`^${source}$`);
      const existing = this.routes.find((entry) => entry.pattern.source === pattern.source);
      if (existing) for (const method of methods) existing.methods.add(method);
      else this.routes.push({ pattern, template: route.url, methods: new Set(methods) });
    });
  }

  /**
   * The methods a path allows and the template of the route that has it, or undefined when no
   * route has that path.
   */
  allowed(path: string): { methods: string[]; template: string } | undefined {
    const entry = this.routes.find((route) => route.pattern.test(path));
    if (!entry) return undefined;
    const methods = [...entry.methods].filter((method) => method !== 'HEAD').sort();
    return { methods, template: entry.template };
  }
}

// REST routes derived from the `google.api.http` option of every method of the services gRPC
// serves (proto/**: generate.mjs renders the SDK's bindings for the cosmos files; ours are written
// in proto/gonka). No route is listed by hand: a method with a binding is reachable over REST.
// A template's `{field}` binds one path segment to a request field, `{field=**}` the rest of the
// path; where two methods bind the same template (the SDK's /bech32/{…}), the first one declared
// answers, as in grpc-gateway.
import type { Registry } from '@bufbuild/protobuf';
import type { PackageDefinition, ServiceDefinition } from '@grpc/proto-loader';

export type Verb = 'get' | 'post' | 'put' | 'delete' | 'patch';
const VERBS: Verb[] = ['get', 'post', 'put', 'delete', 'patch'];

export type Segment = { literal: string } | { field: string; greedy: boolean };

export interface RestRoute {
  verb: Verb;
  /** The template as declared, e.g. /cosmos/bank/v1beta1/balances/{address}. */
  template: string;
  segments: Segment[];
  /** The gRPC method path, /cosmos.bank.v1beta1.Query/AllBalances. */
  grpcPath: string;
  service: string;
  method: string;
  requestType: string;
  responseType: string;
  /** '*' = the JSON body is the request; '' = no body (query parameters fill the rest). */
  body: string;
}

interface HttpRule {
  get?: string;
  post?: string;
  put?: string;
  delete?: string;
  patch?: string;
  body?: string;
}

export function parseTemplate(template: string): Segment[] {
  if (!template.startsWith('/')) throw new Error(`HTTP template ${template} does not start with /`);
  return template
    .slice(1)
    .split('/')
    .map((s): Segment => {
      const m = /^\{([a-z0-9_.]+)(=\*\*)?\}$/i.exec(s);
      if (m) return { field: m[1]!, greedy: Boolean(m[2]) };
      if (/[{}]/.test(s)) throw new Error(`HTTP template ${template}: unsupported segment ${s}`);
      return { literal: s };
    });
}

export function restRoutes(definition: PackageDefinition, registry: Registry): RestRoute[] {
  const routes: RestRoute[] = [];
  // Request/response types come from the same descriptors the JSON codec uses.
  const nameOf = (service: string, method: string, which: 'input' | 'output') => {
    const m = registry.getService(service)?.methods.find((x) => x.name === method);
    if (!m) throw new Error(`REST: ${service}/${method} is not in the descriptors`);
    return m[which].typeName;
  };
  for (const [service, def] of Object.entries(definition)) {
    if ((def as { format?: string }).format !== undefined) continue; // a message or enum
    for (const [method, m] of Object.entries(def as ServiceDefinition)) {
      const rule = (m.options as Record<string, unknown> | undefined)?.['(google.api.http)'] as
        | HttpRule
        | undefined;
      if (!rule) continue;
      const verb = VERBS.find((v) => typeof rule[v] === 'string');
      if (!verb) continue;
      const template = rule[verb]!;
      routes.push({
        verb,
        template,
        segments: parseTemplate(template),
        grpcPath: m.path,
        service,
        method,
        requestType: nameOf(service, method, 'input'),
        responseType: nameOf(service, method, 'output'),
        body: rule.body ?? '',
      });
    }
  }
  return routes;
}

/** Matches a request path (already split on '/', each segment URL-decoded) against a route. */
export function matchRoute(route: RestRoute, parts: string[]): Map<string, string> | undefined {
  const params = new Map<string, string>();
  let i = 0;
  for (const [k, seg] of route.segments.entries()) {
    if ('literal' in seg) {
      if (parts[i] !== seg.literal) return undefined;
      i++;
      continue;
    }
    if (seg.greedy) {
      if (k !== route.segments.length - 1 || i >= parts.length) return undefined;
      params.set(seg.field, parts.slice(i).join('/'));
      i = parts.length;
      continue;
    }
    if (i >= parts.length || parts[i] === '') return undefined;
    params.set(seg.field, parts[i]!);
    i++;
  }
  return i === parts.length ? params : undefined;
}

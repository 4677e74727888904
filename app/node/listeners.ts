// Where each of the node's services listens: one address per service, set by its own flag and its
// own key under `listen` in config/gonka.json. Every TCP listener is on loopback by default; the
// ABCI connection (unauthenticated, and able to halt the node) is a unix socket in the home,
// mode 0600, unless an operator names a TCP address on purpose.
import { isAbsolute, join } from 'node:path';

export type Service = 'p2p' | 'rpc' | 'grpc' | 'rest' | 'metrics' | 'cometMetrics' | 'abci';

/**
 * p2p, rpc: tcp://host:port (CometBFT's laddr form). grpc, rest, metrics, cometMetrics: host:port or
 * 'off'. abci: unix://path (a relative path is inside the home) or tcp://host:port.
 */
export type Listeners = Record<Service, string>;

export const services: Service[] = ['p2p', 'rpc', 'grpc', 'rest', 'metrics', 'cometMetrics', 'abci'];

export const OFF = 'off';
export const DEFAULT_ABCI_SOCKET = 'abci.sock';

export const defaultListeners: Listeners = {
  p2p: 'tcp://127.0.0.1:26656',
  rpc: 'tcp://127.0.0.1:26657',
  grpc: '127.0.0.1:9090',
  rest: '127.0.0.1:1317',
  metrics: '127.0.0.1:9464',
  cometMetrics: '127.0.0.1:26660',
  abci: `unix://${DEFAULT_ABCI_SOCKET}`,
};

/** Linux's sun_path holds 108 bytes including the terminating NUL. */
export const MAX_UNIX_SOCKET_PATH_BYTES = 107;

export class ListenerConfigError extends Error {
  override name = 'ListenerConfigError';
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses host:port or tcp://host:port; an IPv6 host is written in brackets ([::1]:26657). */
export function parseHostPort(value: string, what: string): HostPort {
  const m = /^(?:tcp:\/\/)?(\[[0-9a-fA-F:.]+\]|[^:/[\]]+):(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || port > 65535)
    throw new ListenerConfigError(
      `invalid ${what} address '${value}': expected host:port (e.g. 127.0.0.1:9090)`,
    );
  const host = m[1]!.startsWith('[') ? m[1]!.slice(1, -1) : m[1]!;
  return { host, port };
}

const formatHost = (host: string) => (host.includes(':') ? `[${host}]` : host);
export const formatHostPort = (a: HostPort) => `${formatHost(a.host)}:${a.port}`;

/** Checks one service's address and writes it in its canonical form. */
export function normalizeListener(service: Service, value: string): string {
  const v = value.trim();
  switch (service) {
    case 'p2p':
    case 'rpc':
      return `tcp://${formatHostPort(parseHostPort(v, service))}`;
    case 'grpc':
    case 'rest':
    case 'metrics':
    case 'cometMetrics':
      return v === OFF ? OFF : formatHostPort(parseHostPort(v, service));
    case 'abci': {
      if (v.startsWith('unix://')) {
        if (v.length === 'unix://'.length)
          throw new ListenerConfigError(`invalid abci address '${value}': no path`);
        return v;
      }
      return `tcp://${formatHostPort(parseHostPort(v, 'abci'))}`;
    }
  }
}

/** The address a service listens on, with defaults for keys a home's config lacks. */
export function resolveListeners(
  configured: Partial<Listeners> = {},
  overrides: Partial<Listeners> = {},
): Listeners {
  const out = { ...defaultListeners };
  for (const s of services) {
    const v = overrides[s] ?? configured[s];
    if (v !== undefined) out[s] = normalizeListener(s, v);
  }
  return out;
}

/**
 * Listeners of a home written before per-service keys: its one `host` and its ports (0 = off).
 * Its ABCI port is not carried over: ABCI moves to the private unix socket.
 */
export function legacyListeners(host: string, ports: Record<string, number | undefined>): Partial<Listeners> {
  const h = formatHost(host);
  const out: Partial<Listeners> = {};
  if (ports.p2p !== undefined) out.p2p = `tcp://${h}:${ports.p2p}`;
  if (ports.rpc !== undefined) out.rpc = `tcp://${h}:${ports.rpc}`;
  if (ports.grpc !== undefined) out.grpc = ports.grpc > 0 ? `${h}:${ports.grpc}` : OFF;
  if (ports.rest !== undefined) out.rest = ports.rest > 0 ? `${h}:${ports.rest}` : OFF;
  if (ports.appMetrics !== undefined) out.metrics = ports.appMetrics > 0 ? `${h}:${ports.appMetrics}` : OFF;
  if (ports.cometMetrics !== undefined)
    out.cometMetrics = ports.cometMetrics > 0 ? `${h}:${ports.cometMetrics}` : OFF;
  return out;
}

/**
 * The ABCI address as CometBFT's proxy_app and our server take it: a unix socket's path made
 * absolute (relative to the home) and checked against the unix path limit.
 */
export function abciAddress(home: string, abci: string): { address: string; socketPath?: string } {
  if (!abci.startsWith('unix://')) return { address: abci };
  const raw = abci.slice('unix://'.length);
  const path = isAbsolute(raw) ? raw : join(home, raw);
  const bytes = Buffer.byteLength(path);
  if (bytes > MAX_UNIX_SOCKET_PATH_BYTES)
    throw new ListenerConfigError(
      `the ABCI socket path ${path} is ${bytes} bytes; unix sockets allow at most ${MAX_UNIX_SOCKET_PATH_BYTES}. ` +
        'Use a shorter --home, or set the ABCI address (--abci-address unix:///short/path.sock, ' +
        'or `listen.abci` in config/gonka.json)',
    );
  return { address: `unix://${path}`, socketPath: path };
}

/** A URL a local client reaches a TCP listener at (a wildcard bind is reached on loopback). */
export function localUrl(scheme: 'http', address: string): string {
  const { host, port } = parseHostPort(address, 'rpc');
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `${scheme}://${formatHostPort({ host: reach, port })}`;
}

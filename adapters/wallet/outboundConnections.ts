import dns from 'node:dns';
import net from 'node:net';

// For tests: records every connection this process attempts and every host name it looks up,
// at the two doors all of Node's clients go through (net.Socket#connect: fetch, http, tls, ws;
// dns.lookup). A connection to another host than this machine is refused on the spot, with an
// error, before any packet or DNS query leaves.

export type OutboundAttempt = { via: 'connect' | 'lookup'; host: string; port: number | null };

const LOCAL_HOSTS = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1', 'localhost']);

export const isLocalHost = (host: string) => LOCAL_HOSTS.has(host.toLowerCase());

export type OutboundRecorder = {
  readonly attempts: readonly OutboundAttempt[];
  nonLocal(): OutboundAttempt[];
  stop(): void;
};

type ConnectOptions = { host?: string; port?: number | string; path?: string };

export function recordOutboundConnections(): OutboundRecorder {
  const attempts: OutboundAttempt[] = [];
  const connect = net.Socket.prototype.connect;
  const lookup = dns.lookup;
  const promisesLookup = dns.promises.lookup;

  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const target = connectTarget(args);
    if (target === 'ipc') return connect.apply(this, args as Parameters<typeof connect>);
    attempts.push({ via: 'connect', ...target });
    if (isLocalHost(target.host)) return connect.apply(this, args as Parameters<typeof connect>);
    process.nextTick(() => this.destroy(new Error(`outbound connection to ${target.host}:${target.port} refused (test)`)));
    return this;
  } as typeof connect;

  dns.lookup = function (hostname: string, ...rest: unknown[]) {
    attempts.push({ via: 'lookup', host: hostname, port: null });
    if (isLocalHost(hostname)) return (lookup as (...a: unknown[]) => void)(hostname, ...rest);
    const callback = rest[rest.length - 1] as (error: Error) => void;
    process.nextTick(() => callback(Object.assign(new Error(`lookup of ${hostname} refused (test)`), { code: 'ENOTFOUND' })));
  } as typeof dns.lookup;

  dns.promises.lookup = async function (hostname: string, ...rest: unknown[]) {
    attempts.push({ via: 'lookup', host: hostname, port: null });
    if (isLocalHost(hostname)) return (promisesLookup as (...a: unknown[]) => unknown)(hostname, ...rest);
    throw Object.assign(new Error(`lookup of ${hostname} refused (test)`), { code: 'ENOTFOUND' });
  } as typeof dns.promises.lookup;

  return {
    attempts,
    nonLocal: () => attempts.filter((attempt) => !isLocalHost(attempt.host)),
    stop() {
      net.Socket.prototype.connect = connect;
      dns.lookup = lookup;
      dns.promises.lookup = promisesLookup;
    },
  };
}

// socket.connect(options | [options, callback] | port, host? | path): net.connect passes its
// normalized arguments as one array.
function connectTarget(args: unknown[]): { host: string; port: number | null } | 'ipc' {
  const [first, second] = args;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof second === 'string' ? second : 'localhost', port: Number(first) };
  }
  if (typeof first === 'string') return 'ipc';
  const options = (Array.isArray(first) ? first[0] : first) as ConnectOptions | undefined;
  if (options?.path) return 'ipc';
  return { host: options?.host ?? 'localhost', port: options?.port === undefined ? null : Number(options.port) };
}

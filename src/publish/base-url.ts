// The public address every absolute link is built on: the configured `baseUrl`, or, when none is
// configured, the address the server listens on (its real port, also an ephemeral one), so a feed's
// self link names the server that served it. Commands that serve nothing (exports, the newsletter)
// use the configured host and port.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Desk } from '../jobs/desk.ts';

const listening = new WeakMap<Desk, string>();

/** `http://host:port`, with `localhost` for the loopback and wildcard addresses and IPv6 literals in brackets. */
function origin(address: string, port: number): string {
  const local = address === '0.0.0.0' || address === '::' || address === '127.0.0.1' || address === '::1' || address === '';
  const host = local ? 'localhost' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}${port === 80 ? '' : `:${port}`}`;
}

/** The site's base URL without a trailing slash, e.g. `http://localhost:41234`. */
export function publicBaseUrl(desk: Desk): string {
  if (desk.config.baseUrlConfigured) return desk.config.baseUrl.replace(/\/+$/, '');
  const served = listening.get(desk);
  if (served) return served;
  return origin(desk.config.server.host, desk.config.server.port);
}

/** Remembers the address `app` listens on once it does, as the desk's public base URL. */
export function trackListeningAddress(app: FastifyInstance, desk: Desk): void {
  app.addHook('onListen', async function () {
    const address = app.server.address() as AddressInfo | string | null;
    if (address && typeof address === 'object') listening.set(desk, origin(address.address, address.port));
  });
}

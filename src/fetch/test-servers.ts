// Real HTTP servers on loopback addresses for the fetch tests. 127.0.0.2 stands in for a public host
// (tests allowlist it); 127.0.0.1 plays the private address an attacker would steer towards.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  host: string;
  port: number;
  /** `http://host:port` + path. */
  url(path?: string): string;
  /** Requests received so far, in order. */
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

export async function startServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  host = '127.0.0.2',
): Promise<TestServer> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    host,
    port,
    requests,
    url: (path = '/') => `http://${host}:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

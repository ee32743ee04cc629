/**
 * HTTP servers that misbehave on purpose, for proving that the gate decides in bounded time
 * and memory and never leaks credentials: trickle, endless body, silent, error page,
 * redirect loop, slow headers, and one that requires basic auth. Each listens on a random
 * free loopback port (127.0.0.1, port 0) in this process, counts what it was asked, and
 * has a stop() that destroys every open socket, so no test waits on a connection it left.
 */
import * as http from "node:http";
import * as net from "node:net";

/** A running misbehaving server. */
export interface MisbehavingServer {
  /** Its base URL, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  /** Its port. */
  readonly port: number;
  /** The request paths it received (with query), in order; the silent server counts connections. */
  readonly requests: string[];
  /** The bytes of body it has written so far. */
  bodyBytesSent(): number;
  /** Stops listening and destroys every open socket (idempotent). */
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1:0 and wraps `server` with socket tracking and a stop(). */
async function listen(
  server: net.Server,
  requests: string[],
  sent: { bytes: number },
  timers: Set<NodeJS.Timeout>,
): Promise<MisbehavingServer> {
  const sockets = new Set<net.Socket>();
  server.on("connection", (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    bodyBytesSent: () => sent.bytes,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        timers.clear();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return stopped;
    },
  };
}

/** An HTTP server whose every request goes to `handler`. */
function httpServer(
  handler: (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    ctx: { sent: { bytes: number }; timers: Set<NodeJS.Timeout> },
  ) => void,
): Promise<MisbehavingServer> {
  const requests: string[] = [];
  const sent = { bytes: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    handler(req, res, { sent, timers });
  });
  return listen(server, requests, sent, timers);
}

/** Trickle: a 200 with its headers at once, then one byte of body every `everyMs` (2 s), forever. */
export function startTrickleServer(everyMs = 2000): Promise<MisbehavingServer> {
  return httpServer((_req, res, { sent, timers }) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.flushHeaders();
    res.write("{");
    sent.bytes++;
    const timer = setInterval(() => {
      res.write(" ");
      sent.bytes++;
    }, everyMs);
    timers.add(timer);
    res.once("close", () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  });
}

/**
 * Endless body: a 200 that streams 64 KiB chunks as fast as the socket takes them (waiting
 * for `drain`, so the server's own memory stays flat), forever.
 */
export function startEndlessBodyServer(): Promise<MisbehavingServer> {
  const chunk = Buffer.alloc(64 * 1024, "x");
  return httpServer((_req, res, { sent }) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    let open = true;
    res.once("close", () => {
      open = false;
    });
    const pump = (): void => {
      while (open) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

/** Silent: accepts TCP connections and never reads or answers anything. */
export function startSilentServer(): Promise<MisbehavingServer> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    requests.push(`connection from ${socket.remotePort}`);
    socket.pause();
  });
  return listen(server, requests, { bytes: 0 }, new Set());
}

/** The body of the error page. */
export const ERROR_PAGE_HTML =
  "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>";

/** Error page: a 200 whose body is an HTML error page, as some proxies answer. */
export function startErrorPageServer(): Promise<MisbehavingServer> {
  return httpServer((_req, res, { sent }) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    sent.bytes += ERROR_PAGE_HTML.length;
    res.end(ERROR_PAGE_HTML);
  });
}

/** Redirect loop: a 302 to the very URL asked, forever. */
export function startRedirectLoopServer(): Promise<MisbehavingServer> {
  return httpServer((req, res) => {
    res.writeHead(302, { Location: req.url ?? "/" });
    res.end();
  });
}

/** Slow headers: answers `body` with a 200 after `delayMs`. */
export function startSlowHeadersServer(delayMs: number, body = "OK"): Promise<MisbehavingServer> {
  return httpServer((_req, res, { sent, timers }) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      sent.bytes += body.length;
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end(body);
    }, delayMs);
    timers.add(timer);
  });
}

/**
 * Credentials-checking: answers `body` (200) only to basic auth with exactly `user` and
 * `password`, otherwise 401; `authorizations` lists the decoded `user:password` of every
 * request that sent one.
 */
export async function startCredentialsServer(
  user: string,
  password: string,
  body: (path: string) => string,
): Promise<MisbehavingServer & { readonly authorizations: string[] }> {
  const authorizations: string[] = [];
  const server = await httpServer((req, res, { sent }) => {
    const header = req.headers.authorization ?? "";
    const decoded = header.startsWith("Basic ")
      ? Buffer.from(header.slice(6), "base64").toString("utf8")
      : "";
    if (header !== "") authorizations.push(decoded);
    if (decoded !== `${user}:${password}`) {
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="genesis"' });
      res.end("unauthorized");
      return;
    }
    const text = body(req.url ?? "/");
    sent.bytes += text.length;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(text);
  });
  return { ...server, authorizations };
}

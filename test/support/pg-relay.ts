/**
 * A TCP relay to the database server, standing for a proxy in front of PostgreSQL: killed, it
 * cuts every connection through it and refuses new ones; started again, on the same port, it
 * relays again. For tests of a server or a listener through an outage of the network.
 */
import net from 'node:net';

export class Relay {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** The port it listens on (chosen at the first start, kept after). */
  port = 0;
  constructor(private readonly target: URL) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 5432), this.target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  /** Stops listening and cuts every connection, as a proxy that is killed: new ones are refused. */
  async kill(): Promise<void> {
    if (!this.server?.listening) return;
    const closed = new Promise<void>((resolve) => this.server!.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

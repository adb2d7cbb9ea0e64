import type { AddressInfo } from 'node:net';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { openDb } from '../db/connect.js';
import { importBundledIfEmpty } from '../domain/archive/bundled.js';
import { buildApp } from '../web/app.js';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the site (PORT, HOST; embedded database in CONCLAVE_DATA, or DATABASE_URL).')
    .option('--bootstrap', 'on an empty database, import the bundled Netconf archive first')
    .option('--log', 'log every request (JSON lines on stdout)')
    .action(async (opts: { bootstrap?: boolean; log?: boolean }) => {
      const config = loadConfig();
      const handle = await openDb(config);
      try {
        if (opts.bootstrap) {
          const imported = await importBundledIfEmpty({ db: handle.db });
          if (imported.length) console.log(`conclave: imported the bundled archive: ${imported.map((p) => p.year).join(', ')}`);
        }
        const app = await buildApp({ db: handle.db, logger: !!opts.log });
        const stop = async (signal: string) => {
          console.log(`conclave: ${signal}, finishing requests and closing the database`);
          await app.close();
          await handle.close();
          process.exit(0);
        };
        process.once('SIGINT', () => void stop('SIGINT'));
        process.once('SIGTERM', () => void stop('SIGTERM'));
        await app.listen({ port: config.port, host: config.host });
        const port = (app.server.address() as AddressInfo).port;
        const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
        const url = process.env.BASE_URL ? config.baseUrl : `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
        console.log(`conclave: serving ${handle.kind === 'pglite' ? `the embedded database in ${handle.where}` : handle.where}`);
        console.log(`conclave: open ${url}/`);
      } catch (err) {
        await handle.close();
        throw err;
      }
    });
}

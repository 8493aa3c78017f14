/** The central of bench:ingest in its own process (the clients' JSON and hashing must not share its thread). */
import { startCentral } from '../node/central/app.js';

const central = await startCentral({ databaseUrl: process.argv[2], port: 0, rateLimit: { max: 1_000_000, windowMs: 60_000 }, poolSize: 20 });
process.stdout.write(`${JSON.stringify({ url: central.url })}\n`);
process.on('SIGTERM', () => void central.close().then(() => process.exit(0)));

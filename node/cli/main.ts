import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors.js';
import { healReadModels, verifyDeviceChain, verifyReadModels } from '../journal/verify.js';
import { allProjections, route } from '../domains.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { askFederation, askLink } from '../runtime/control.js';
import { resolveDataDir } from '../runtime/datadir.js';
import { exportJournal } from './journal-file.js';
import { rebuildFromJournal } from './rebuild.js';
import { CENTRAL_USAGE, runCentralCli } from '../central/cli.js';

const USAGE = `mostrador — operate on a Mostrador data folder

  mostrador link [--data-dir DIR]                     a fresh sign-in link for the node running on the folder
  mostrador enroll --central URL --code CODE [--data-dir DIR]
                                                     join the running terminal to a central with a one-time code
  mostrador federation status|sync|reset-breaker|reconcile|retry-dead-letter [--data-dir DIR]
                                                     the relay's state; a round with the central now; close the
                                                     circuit breaker (after fixing the network); compare this
                                                     terminal's log with the central's now and replay what is missing;
                                                     try again the event the relay halted on (after fixing its cause)

While no node holds the folder:

  mostrador journal verify [--data-dir DIR] [--heal] re-derive the hash chain and rebuild-check the read models;
                                                     --heal rewrites drifted read-model rows from the log
  mostrador journal export --out FILE [--data-dir DIR] write the journal to one SQLite file
  mostrador rebuild --from FILE --data-dir DIR        a fresh folder replayed from an exported journal (a folder
                                                     of another database format is moved to quarantine/ first)

The central:

${CENTRAL_USAGE}

The data folder defaults to the app's (MOSTRADOR_DATA_DIR or --data-dir override it).
Exit codes: 0 fine, 1 verification failed, 2 usage or operation error, 3 the folder is in use.`;

const out = (line: string) => process.stdout.write(`${line}\n`);

async function withFolder<T>(dataDir: string, purpose: string, fn: (store: OpenStore) => Promise<T>): Promise<T> {
  const store = await openDataDir(dataDir, { purpose });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function runCli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      central: { type: 'string' },
      code: { type: 'string' },
      heal: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      port: { type: 'string' },
      host: { type: 'string' },
      store: { type: 'string' },
      name: { type: 'string' },
      device: { type: 'string' },
    },
  });
  const command = positionals.join(' ');
  if (values.help || command === '') return out(USAGE), 0;
  const dataDir = resolveDataDir(values['data-dir']);
  if (positionals[0] === 'central') return runCentralCli(positionals.slice(1).join(' '), { ...values, dataDir });
  switch (command) {
    case 'link':
      out(await askLink(dataDir));
      return 0;
    case 'enroll':
      if (!values.central || !values.code) throw new AppError('ValidationError', 'enroll needs --central URL and --code CODE');
      out(await askFederation(dataDir, { ask: 'enroll', central: values.central, code: values.code }));
      return 0;
    case 'federation status':
      out(await askFederation(dataDir, { ask: 'status' }));
      return 0;
    case 'federation sync':
      out(await askFederation(dataDir, { ask: 'syncNow' }));
      return 0;
    case 'federation reset-breaker':
      out(await askFederation(dataDir, { ask: 'resetBreaker' }));
      return 0;
    case 'federation reconcile':
      out(await askFederation(dataDir, { ask: 'reconcileNow' }));
      return 0;
    case 'federation retry-dead-letter':
      out(await askFederation(dataDir, { ask: 'retryDeadLetter' }));
      return 0;
    case 'journal verify':
      return withFolder(dataDir, 'mostrador journal verify', async ({ db, identity }) => {
        const chain = await verifyDeviceChain(db, identity.storeId, identity.deviceId);
        if (!chain.ok) {
          out(`CHAIN BROKEN at event ${chain.event_id} (device_seq ${chain.device_seq}): ${chain.kind}: ${chain.detail}`);
          return 1;
        }
        const drift = await verifyReadModels(db, identity.storeId, allProjections, route);
        out(`chain ok: ${chain.checked} events, head ${chain.head}`);
        if (drift.length > 0) {
          out(`READ MODELS DRIFT: ${drift.length} rows differ from their rebuild, e.g. ${drift[0]!.projection} ${drift[0]!.key} (${drift[0]!.kind})`);
          if (!values.heal) return 1;
          await db.write((tx) => healReadModels(tx, identity.storeId, drift, allProjections));
          const left = await verifyReadModels(db, identity.storeId, allProjections, route);
          out(left.length === 0 ? `healed ${drift.length} rows from the log` : `HEAL INCOMPLETE: ${left.length} rows still differ`);
          return left.length === 0 ? 0 : 1;
        }
        out('read models equal their rebuild from the log');
        return 0;
      });
    case 'journal export': {
      if (!values.out) throw new AppError('ValidationError', 'journal export needs --out FILE');
      const file = values.out;
      return withFolder(dataDir, 'mostrador journal export', async ({ db, identity }) => {
        const chain = await verifyDeviceChain(db, identity.storeId, identity.deviceId);
        if (!chain.ok) out(`warning: the chain is broken at event ${chain.event_id}; exporting anyway`);
        const { events, commands } = await exportJournal(db, identity, file);
        out(`exported ${events} events and ${commands} command results to ${file}`);
        return 0;
      });
    }
    case 'rebuild': {
      if (!values.from || !values['data-dir']) throw new AppError('ValidationError', 'rebuild needs --from FILE and --data-dir NEW');
      const report = await rebuildFromJournal(values.from, dataDir);
      if (report.setAside) out(`the database of another format was moved to ${report.setAside}`);
      out(`replayed ${report.events} events into ${dataDir}`);
      if (!report.chain.ok) return out(`CHAIN BROKEN after rebuild at ${report.chain.event_id}: ${report.chain.detail}`), 1;
      out(`chain ok: head ${report.chain.head}`);
      if (report.drift.length > 0) return out(`READ MODELS DRIFT after rebuild: ${report.drift.length} rows`), 1;
      out('read models equal their rebuild from the log');
      return 0;
    }
    default:
      out(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

/** The `mostrador` command's process: runs, prints, exits with the code the usage text promises. */
export function cliMain(argv: string[]): void {
  runCli(argv).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message = (error as Error).message;
      process.stderr.write(`mostrador: ${message}\n`);
      process.exit(/in use by another Mostrador/.test(message) ? 3 : 2);
    },
  );
}

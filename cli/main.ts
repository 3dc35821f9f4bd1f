import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { agentReadModels } from '../projections/agentReadModels.ts';
import { rebuildProjection } from '../projections/projectionRunner.ts';
import { verifyChain } from '../adapters/eventstore/verifyChain.ts';
import { agentStreamOf } from '../commands/agentStream.ts';
import { openChimeraDatabase, startChimera } from './startChimera.ts';
import { tokenCommand } from './token.ts';

const USAGE = `usage: chimera <command>

  start                      run everything in one process (API, projectors) on PORT
  token --role R --sub ID    print a signed JWT (roles: operator, moderator, viewer, service)
  migrate                    apply database migrations and exit
  rebuild                    rebuild the read models from the event log and exit
  audit verify [--agent ID]  recompute the event hash chain (one agent or all) and report breaks
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = readConfig();
  switch (command) {
    case 'start': {
      const running = await startChimera(config);
      const stop = async (signal: string) => {
        console.log(`${signal}: shutting down`);
        await running.close();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      return -1; // keep running
    }
    case 'token':
      return tokenCommand(rest, config);
    case 'migrate': {
      const database = await openChimeraDatabase(config);
      await database.close();
      console.log('migrations applied');
      return 0;
    }
    case 'rebuild': {
      const database = await openChimeraDatabase(config);
      const store = new PostgresEventStore(database.sql);
      const started = Date.now();
      const result = await rebuildProjection(database, store, agentReadModels);
      const seconds = (Date.now() - started) / 1000;
      console.log(`rebuilt ${agentReadModels.name}: ${result.events} events in ${seconds.toFixed(1)} s, checkpoint ${result.position}`);
      await database.close();
      return 0;
    }
    case 'audit': {
      const { values, positionals } = parseArgs({ args: rest, options: { agent: { type: 'string' } }, allowPositionals: true });
      if (positionals[0] !== 'verify') {
        process.stderr.write(USAGE);
        return 2;
      }
      const database = await openChimeraDatabase(config);
      const report = await verifyChain(database.sql, values.agent ? agentStreamOf(values.agent) : undefined);
      await database.close();
      console.log(JSON.stringify(report, null, 2));
      return report.breaks.length === 0 ? 0 : 1;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command: ${command}\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

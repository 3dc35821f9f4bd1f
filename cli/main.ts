import { parseArgs } from 'node:util';
import { readConfig } from '../config.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { rebuildProjection } from '../projections/projectionRunner.ts';
import { verifyChain } from '../adapters/eventstore/verifyChain.ts';
import { agentStreamOf } from '../commands/agentStream.ts';
import { cfoPublicKeyPem } from '../commands/money/cfoSigner.ts';
import { verifyApprovals } from '../commands/money/verifyApprovals.ts';
import { openChimeraDatabase, projections, roleNames, startChimera, type RoleName } from './startChimera.ts';
import { tokenCommand } from './token.ts';
import { JUDGE_USAGE, judgeCommand } from './judgeCommand.ts';

const USAGE = `usage: chimera <command>

  start                      run every role in one process (the embedded default) on PORT
  api | forwarder | projector | worker | judge | sandbox | cfo
                             run one role; with KAFKA_BROKERS set, roles in separate
                             processes meet through Kafka (several per role share the work);
                             sandbox serves the sandbox social platform's MCP server
  token --role R --sub ID    print a signed JWT (roles: operator, moderator, viewer, service)
  migrate                    apply database migrations and exit
  rebuild                    rebuild the read models from the event log and exit
  audit verify [--agent ID]  recompute the event hash chain (one agent or all) and check the CFO's
                             approval signatures; report breaks and forged approvals
${JUDGE_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = readConfig();
  // `chimera judge` alone runs the judge role; with a subcommand it is the Judge's tooling.
  if (command === 'judge' && rest.length > 0) return judgeCommand(rest, config);
  switch (command) {
    case 'start':
    case 'api':
    case 'forwarder':
    case 'projector':
    case 'worker':
    case 'judge':
    case 'sandbox':
    case 'cfo': {
      const roles: readonly RoleName[] = command === 'start' ? roleNames : [command];
      // A role on its own shares its work with other processes: the bus between them must be
      // Kafka, and the database a server (PGlite belongs to one process).
      const needs = command === 'start' || command === 'sandbox' ? [] : command === 'api' || command === 'projector' ? ['DATABASE_URL'] : ['KAFKA_BROKERS', 'DATABASE_URL'];
      const missing = needs.filter((v) => (v === 'KAFKA_BROKERS' ? !config.kafkaBrokers : !config.databaseUrl));
      if (missing.length > 0) {
        process.stderr.write(`chimera ${command} on its own needs ${missing.join(' and ')} (for one process, run \`chimera start\`)\n`);
        return 2;
      }
      const running = await startChimera(config, roles);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        console.log(`${signal}: shutting down ${running.roles.join(', ')}`);
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
      // chimera rebuild [projection ...]: every projection when none is named.
      const chosen = rest.length > 0 ? projections.filter((p) => rest.includes(p.name)) : projections;
      if (chosen.length !== (rest.length || projections.length)) {
        console.error(`unknown projection; known: ${projections.map((p) => p.name).join(', ')}`);
        return 2;
      }
      const database = await openChimeraDatabase(config);
      const store = new PostgresEventStore(database.sql);
      for (const projection of chosen) {
        const started = Date.now();
        const result = await rebuildProjection(database, store, projection);
        const seconds = (Date.now() - started) / 1000;
        console.log(`rebuilt ${projection.name}: ${result.events} events in ${seconds.toFixed(1)} s, checkpoint ${result.position}`);
      }
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
      const stream = values.agent ? agentStreamOf(values.agent) : undefined;
      const chain = await verifyChain(database.sql, stream);
      // The CFO's approvals too, where its key is found (see README: CFO_PUBLIC_KEY_FILE).
      const publicKey = cfoPublicKeyPem(config.dataDir);
      const approvals = publicKey ? await verifyApprovals(database.sql, publicKey, stream) : null;
      await database.close();
      console.log(JSON.stringify({ ...chain, approvals: approvals ?? 'not checked: no CFO key (set CFO_PUBLIC_KEY_FILE)' }, null, 2));
      return chain.breaks.length === 0 && (approvals?.invalid.length ?? 0) === 0 ? 0 : 1;
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

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Database } from '../adapters/database/database.ts';
import { PostgresEventStore } from '../adapters/eventstore/postgresEventStore.ts';
import { describeOn, postgresServerTarget } from './support/testDatabases.ts';
import { kafkaProblem, testKafkaBrokers } from './support/testKafka.ts';
import { appendTicks, assertAppliedExactlyOnceInOrder, processedCount, until } from './support/fanoutChecks.ts';
import { startChimeraProcess, stopChimeraProcess, type ChimeraProcess } from './support/chimeraProcess.ts';

describeOn({ ...postgresServerTarget, skip: postgresServerTarget.skip ?? kafkaProblem }, 'roles as processes over Kafka', () => {
  let database: Database;
  let store: PostgresEventStore;
  const processes: ChimeraProcess[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'chimera-roles-'));
  let env: Record<string, string>;

  before(async () => {
    database = await postgresServerTarget.open();
    store = new PostgresEventStore(database.sql);
    env = {
      DATABASE_URL: database.connectionString!,
      KAFKA_BROKERS: testKafkaBrokers.join(','),
      KAFKA_TOPIC: `events-${randomUUID().slice(0, 8)}`,
      CHIMERA_DATA_DIR: dataDir,
    };
  });
  after(async () => {
    for (const p of processes) await stopChimeraProcess(p, 'SIGKILL');
    await store?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies 10,000 events exactly once, in per-agent order, across two projectors when one is SIGKILLed mid-run', async () => {
    const projectors = [];
    for (let i = 0; i < 2; i++) {
      const p = await startChimeraProcess('projector', env, /member of consumer group projectors/);
      processes.push(p);
      projectors.push(p);
    }
    const forwarder = await startChimeraProcess('forwarder', env, /forwarder: log/);
    processes.push(forwarder);
    // Let the group settle with both members.
    await new Promise((r) => setTimeout(r, 4000));

    const appending = appendTicks(store, 10_000, 100);
    await until(async () => (await processedCount(database, 'projectors')) >= 3_000, 120_000, '3,000 applied');
    const atKill = await processedCount(database, 'projectors');
    projectors[0]!.child.kill('SIGKILL');
    await projectors[0]!.exited;
    const counts = await appending;
    assert.ok(atKill < 10_000, `killed while work was left (${atKill} applied)`);
    console.log(`projector 1 SIGKILLed after ${atKill} of 10,000 events were applied`);

    await until(async () => (await processedCount(database, 'projectors')) >= 10_000, 180_000, '10,000 applied');
    await assertAppliedExactlyOnceInOrder(database, 'projectors', counts);

    // The others shut down cleanly on SIGTERM.
    assert.equal(await stopChimeraProcess(forwarder), 0);
    assert.equal(await stopChimeraProcess(projectors[1]!), 0);
  });
});

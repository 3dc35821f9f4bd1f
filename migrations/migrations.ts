import type { Migration } from 'kysely/migration';
import * as eventStore from './0001_event_store.ts';
import * as readModels from './0002_read_models.ts';
import * as fanout from './0003_fanout.ts';
import * as work from './0004_work.ts';
import * as money from './0005_money.ts';

// Forward-only: a migration, once released, is never edited; a change is a new file here.
export const migrations: Record<string, Migration> = {
  '0001_event_store': eventStore,
  '0002_read_models': readModels,
  '0003_fanout': fanout,
  '0004_work': work,
  '0005_money': money,
};

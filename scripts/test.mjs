// Runs every *.spec.ts under the source folders with node's own test runner (through tsx).
// `node scripts/test.mjs unit` runs only *.unit.spec.ts; any other argument filters by path.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const roots = ['domain', 'commands', 'projections', 'adapters', 'api', 'migrations', 'cli', 'test'];
const filter = process.argv[2];
const files = roots
  .flatMap((root) => {
    try {
      return readdirSync(root, { recursive: true }).map((f) => `${root}/${f}`);
    } catch {
      return [];
    }
  })
  .filter((f) => f.endsWith('.spec.ts'))
  .filter((f) => !filter || (filter === 'unit' ? f.endsWith('.unit.spec.ts') : f.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);

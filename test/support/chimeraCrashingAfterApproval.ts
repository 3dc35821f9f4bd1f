// `chimera start`, except that the process dies (as under SIGKILL: no cleanup) right after the
// CFO's first approval of a transfer is recorded, before anything is signed or sent.
import { startChimera } from '../../cli/startChimera.ts';
import { readConfig } from '../../config.ts';

await startChimera(readConfig(), undefined, (line) => console.log(line), {
  afterSpendApproval: (transferId) => {
    console.log(`crashing after approving transfer ${transferId}`);
    process.kill(process.pid, 'SIGKILL');
  },
});

// `chimera start` (or `chimera <role>` given as the argument), except that the process dies
// (as under SIGKILL: no cleanup) right after its worker's first publishing tool call returned
// and before the publication was recorded.
import { roleNames, startChimera, type RoleName } from '../../cli/startChimera.ts';
import { readConfig } from '../../config.ts';

const role = process.argv[2] as RoleName | undefined;
await startChimera(readConfig(), role ? [role] : roleNames, (line) => console.log(line), {
  afterPublishCall: (taskId) => {
    console.log(`crashing after publishing for task ${taskId}`);
    process.kill(process.pid, 'SIGKILL');
  },
});

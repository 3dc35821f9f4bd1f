// `chimera start`, except that the process dies (as under SIGKILL: no cleanup) right after its
// worker's first publishing tool call returned and before the publication was recorded.
import { startChimera } from '../../cli/startChimera.ts';
import { readConfig } from '../../config.ts';

await startChimera(readConfig(), undefined, (line) => console.log(line), {
  afterPublishCall: (taskId) => {
    console.log(`crashing after publishing for task ${taskId}`);
    process.kill(process.pid, 'SIGKILL');
  },
});

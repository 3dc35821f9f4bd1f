import { commitHash } from '../judge/commitHash.ts';
import type { Artifact } from './workEvents.ts';

// What a commit of a result is the hash of (seed: SHA-256 of artifact + metadata), the same
// whether the judge or a moderator commits it.
export function resultCommitHash(agentId: string, taskId: string, resultId: string, artifact: Artifact, policyVersion: string): string {
  return commitHash({ artifact, metadata: { agent_id: agentId, task_id: taskId, result_id: resultId, policy_version: policyVersion } });
}

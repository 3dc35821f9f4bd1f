import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { engagementStreamOf } from '../commands/engagement/engagementStream.ts';
import { agentStreamOf } from '../commands/agentStream.ts';
import { engagementMeasuredSchema, type EngagementMeasured } from '../domain/engagement/engagementEvents.ts';
import { lastLoggedPosition } from '../test/support/lastLoggedPosition.ts';
import { suiteStore } from '../test/support/suiteStore.ts';
import { describeOn, testDatabaseTargets } from '../test/support/testDatabases.ts';
import { engagementMetrics } from './engagementMetrics.ts';
import { ProjectionRunner, rebuildProjection } from './projectionRunner.ts';

// Measurements of a post every 6 hours, growing, across a month boundary (two partitions).
function measurementsOf(postId: string, platform: EngagementMeasured['platform'], count: number): EngagementMeasured[] {
  const out: EngagementMeasured[] = [];
  let previous = 0;
  for (let i = 0; i < count; i++) {
    const views = 100 * (i + 1);
    const [likes, comments, shares] = [10 * (i + 1), 2 * i, i];
    out.push(
      engagementMeasuredSchema.parse({
        metric_id: randomUUID(),
        post_id: postId,
        platform,
        platform_post_id: `pp-${postId}`,
        views,
        likes,
        comments,
        shares,
        engagement_delta: likes + comments + shares - previous,
        measured_at: new Date(Date.parse('2026-11-29T00:00:00Z') + i * 6 * 3_600_000).toISOString(),
      }),
    );
    previous = likes + comments + shares;
  }
  return out;
}

for (const target of testDatabaseTargets) {
  describeOn(target, 'engagement_metrics projection', () => {
    const log = suiteStore(target, { pollIntervalMs: 10 });

    const snapshot = async () =>
      JSON.parse(JSON.stringify(await log.database.db.selectFrom('engagement_metrics').selectAll().orderBy('metric_id').execute())) as Array<Record<string, any>>;
    const append = (stream: string, events: EngagementMeasured[]) =>
      log.store.appendToStream(stream, events.map((data) => ({ type: 'EngagementMeasured', data })));

    it('writes one row per measurement of the engagement streams, and a rebuild gives the same rows', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      const nova = [...measurementsOf(a, 'twitter', 8), ...measurementsOf(b, 'instagram', 3)];
      const orion = measurementsOf(c, 'tiktok', 5);
      // Interleaved appends of two agents, a few events at a time.
      for (let i = 0; i < nova.length; i += 3) {
        await append(engagementStreamOf('nova'), nova.slice(i, i + 3));
        if (i < orion.length) await append(engagementStreamOf('orion'), orion.slice(i, i + 3));
      }
      // Not this projection's: the same event type in an agent stream, another type in an
      // engagement stream.
      await append(agentStreamOf('nova'), measurementsOf(randomUUID(), 'twitter', 1));
      await log.store.appendToStream(engagementStreamOf('nova'), [{ type: 'SomethingElse', data: {} }]);

      const runner = new ProjectionRunner(log.database, log.store, engagementMetrics, { batchSize: 4 });
      await runner.start();
      await runner.waitFor(await lastLoggedPosition(log.database));
      await runner.stop();
      const live = await snapshot();

      assert.equal(live.length, nova.length + orion.length);
      const row = live.find((r) => r.metric_id === nova[7]!.metric_id)!;
      const source = nova[7]!;
      assert.deepEqual(row, {
        metric_id: source.metric_id,
        post_id: a,
        agent_id: 'nova',
        platform: 'twitter',
        views: source.views,
        likes: source.likes,
        comments: source.comments,
        shares: source.shares,
        engagement_delta: source.engagement_delta,
        measured_at: source.measured_at,
      });
      assert.deepEqual(new Set(live.filter((r) => r.post_id === c).map((r) => r.agent_id)), new Set(['orion']));
      assert.equal(live.filter((r) => r.post_id === a).reduce((sum, r) => sum + r.engagement_delta, 0), 80 + 14 + 7, 'the deltas add up to the last count');

      const rebuilt = await rebuildProjection(log.database, log.store, engagementMetrics, { batchSize: 5 });
      assert.ok(rebuilt.events > live.length);
      assert.deepEqual(await snapshot(), live);
    });
  });
}

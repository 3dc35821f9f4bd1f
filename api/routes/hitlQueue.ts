import type { Database } from '../../adapters/database/database.ts';

// The items awaiting a moderator, oldest first (seed 000 §2.5.1): results the judge queued,
// and spends the CFO Judge held for their risk (`financial`, issue 6).
type ContentFilter = 'all' | 'blocked' | 'sensitive' | 'unverified' | 'low_confidence';

export async function hitlQueue(database: Database, filter: ContentFilter | 'financial', limit: number, offset: number) {
  if (filter === 'financial') return financialQueue(database, limit, offset);
  if (filter === 'all') {
    // Content first, then money, each oldest first; one page across both.
    const content = await contentQueue(database, 'all', limit + offset, 0);
    const money = await financialQueue(database, limit + offset, 0);
    const items = [...content.items, ...money.items].slice(offset, offset + limit);
    const total = content.total_count + money.total_count;
    return { items, total_count: total, has_more: offset + items.length < total };
  }
  return contentQueue(database, filter, limit, offset);
}

async function financialQueue(database: Database, limit: number, offset: number) {
  const queued = database.db.selectFrom('financial_reviews').where('status', '=', 'queued');
  const [{ total }] = (await queued.select((eb) => eb.fn.countAll<string>().as('total')).execute()) as [{ total: string }];
  const rows = await queued.selectAll().orderBy('created_at').orderBy('review_id').limit(limit).offset(offset).execute();
  const items = rows.map((r) => ({
    review_id: r.review_id,
    result_id: r.transfer_id,
    transfer_id: r.transfer_id,
    agent_id: r.agent_id,
    artifact: { type: 'transaction', content: `${r.kind === 'deploy_token' ? 'deploy a token' : `pay ${r.amount} ${r.currency}`} to ${r.to_address ?? 'a new contract'} ($${Number(r.amount_usd)})` },
    confidence_score: null,
    risk_score: Number(r.risk_score),
    risk_tags: ['financial'],
    hitl_category: 'financial',
    judge_reasoning: r.reason,
    created_at: new Date(r.created_at).toISOString(),
    pending_since: new Date(r.created_at).toISOString(),
  }));
  const totalCount = Number(total);
  return { items, total_count: totalCount, has_more: offset + items.length < totalCount };
}

async function contentQueue(database: Database, filter: ContentFilter, limit: number, offset: number) {
  let query = database.db
    .selectFrom('judge_reviews as r')
    .innerJoin('assets as a', 'a.asset_id', 'r.result_id')
    .where('r.status', '=', 'queued');
  if (filter !== 'all') query = query.where('r.hitl_category', '=', filter);
  const [{ total }] = (await query.select((eb) => eb.fn.countAll<string>().as('total')).execute()) as [{ total: string }];
  const rows = await query
    .select([
      'r.review_id',
      'r.result_id',
      'r.task_id',
      'r.agent_id',
      'r.reasoning_trace',
      'r.hitl_category',
      'r.artifact_hash',
      'r.validation_result',
      'r.expires_at',
      'r.created_at',
      'a.asset_type',
      'a.content',
      'a.object_storage_url',
      'a.confidence_score',
      'a.risk_tags',
    ])
    .orderBy('r.created_at')
    .orderBy('r.review_id')
    .limit(limit)
    .offset(offset)
    .execute();
  const items = rows.map((r) => {
    const validation = r.validation_result as { sensitive_topics_detected?: string[]; findings?: unknown[] };
    return {
    review_id: r.review_id,
    result_id: r.result_id,
    task_id: r.task_id,
    agent_id: r.agent_id,
    artifact: { type: r.asset_type, content: r.content ?? r.object_storage_url ?? '', ...(r.object_storage_url ? { preview_url: r.object_storage_url } : {}) },
    artifact_hash: r.artifact_hash,
    confidence_score: Number(r.confidence_score),
    risk_tags: r.risk_tags,
    hitl_category: r.hitl_category,
    sensitive_topics_detected: validation.sensitive_topics_detected ?? [],
    // What the detectors found, with their evidence; a blocked item needs an override to approve.
    findings: validation.findings ?? [],
    requires_override: r.hitl_category === 'blocked',
    judge_reasoning: r.reasoning_trace,
    created_at: new Date(r.created_at).toISOString(),
    pending_since: new Date(r.created_at).toISOString(),
    expires_at: r.expires_at ? new Date(r.expires_at).toISOString() : null,
    };
  });
  const totalCount = Number(total);
  return { items, total_count: totalCount, has_more: offset + items.length < totalCount };
}

import type { Platform } from '../models/modelPort.ts';
import { seededRandom } from './seededRandom.ts';

// A post's counters are a function of its own seeded parameters and the time since it was
// published: a saturating curve plus a slow logarithmic tail, so they never go down and keep
// growing a little. Nothing is stored; reading twice at the same instant gives the same numbers.

export type SandboxEngagement = {
  post_id: string;
  platform_post_id: string;
  agent_id: string;
  platform: Platform;
  views: number;
  likes: number;
  comments: number;
  shares: number;
  measured_at: string;
};

const HOUR = 3_600_000;
const REACH: Record<Platform, [number, number]> = {
  twitter: [300, 6_000],
  threads: [200, 4_000],
  instagram: [800, 15_000],
  tiktok: [1_500, 60_000],
};

export type EngagedPost = { post_id: string; platform_post_id: string; agent_id: string; platform: Platform; published_at: string };

export function engagementOf(seed: string, post: EngagedPost, nowMs: number): SandboxEngagement {
  const random = seededRandom(seed, 'engagement', post.post_id);
  const [minReach, maxReach] = REACH[post.platform];
  const reach = random.int(minReach, maxReach);
  const riseMs = random.int(1, 12) * HOUR;
  const likeRate = 0.02 + random.next() * 0.1;
  const commentRate = 0.002 + random.next() * 0.018;
  const shareRate = 0.001 + random.next() * 0.014;
  const t = Math.max(0, nowMs - Date.parse(post.published_at)) / riseMs;
  const views = Math.floor(reach * (1 - Math.exp(-t)) + reach * 0.05 * Math.log1p(t));
  return {
    post_id: post.post_id,
    platform_post_id: post.platform_post_id,
    agent_id: post.agent_id,
    platform: post.platform,
    views,
    likes: Math.floor(views * likeRate),
    comments: Math.floor(views * commentRate),
    shares: Math.floor(views * shareRate),
    measured_at: new Date(nowMs).toISOString(),
  };
}

import type { Platform } from '../models/modelPort.ts';
import { seededRandom, sha256Hex } from './seededRandom.ts';

// Trends are drawn per time bucket: within one bucket the same topics and scores come back, the
// next bucket draws again. Shape of seed 000 §2.2.3.

export type TrendWindow = '1h' | '24h' | '7d' | '30d';
export const TREND_WINDOWS = ['1h', '24h', '7d', '30d'] as const;

export type SandboxTrend = {
  trend_id: string;
  topic: string;
  trend_score: number;
  source: string;
  sample_content: string;
  detected_at: string;
};

const HOUR = 3_600_000;
const WINDOW_MS: Record<TrendWindow, number> = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, '30d': 30 * 24 * HOUR };
const BUCKET_MS: Record<TrendWindow, number> = { '1h': 10 * 60_000, '24h': HOUR, '7d': 6 * HOUR, '30d': 24 * HOUR };
const TRENDS_PER_BUCKET = 8;

const TOPICS: readonly { topic: string; sample: string }[] = [
  { topic: '#EthiopianCoffee', sample: 'Yirgacheffe pour-over at sunrise, nothing beats it' },
  { topic: '#StreetStyle', sample: 'Oversized blazer + sneakers is the uniform this season' },
  { topic: '#ThriftFlip', sample: 'Turned a $4 thrift shirt into a cropped jacket' },
  { topic: '#MorningRoutine', sample: '5am club update: journaling, stretching, cold brew' },
  { topic: '#SustainableFashion', sample: 'Capsule wardrobe: 30 pieces, 100 outfits' },
  { topic: '#LatteArt', sample: 'First rosetta that actually looks like a rosetta' },
  { topic: '#DigitalNomad', sample: 'Working from a cafe in Lisbon this week' },
  { topic: '#SkincareTips', sample: 'SPF every day, even when it is cloudy' },
  { topic: '#Y2KRevival', sample: 'Butterfly clips are back and so am I' },
  { topic: '#HomeCafe', sample: 'Built a tiny espresso corner in my kitchen' },
  { topic: '#RunningCommunity', sample: 'Sunday long run, 18k, legs are jelly' },
  { topic: '#PlantParent', sample: 'My monstera finally grew a new leaf' },
  { topic: '#TravelDiaries', sample: 'Golden hour over Santorini, no filter' },
  { topic: '#VintageCameras', sample: 'Shot a whole roll on a 1978 rangefinder' },
  { topic: '#SlowLiving', sample: 'Phone off, book on, tea steeping' },
  { topic: '#Election2026', sample: 'Debate night reactions are pouring in' },
  { topic: '#CryptoSummer', sample: 'Everyone is talking about the new L2 airdrop' },
  { topic: '#WellnessTok', sample: 'Trying the 12-3-30 treadmill workout for a week' },
];

const QUERY_VARIANTS: readonly { suffix: string; sample: string }[] = [
  { suffix: '', sample: 'Everyone has an opinion on {q} today' },
  { suffix: 'Challenge', sample: 'Day 3 of the {q} challenge and I am hooked' },
  { suffix: 'Tips', sample: 'Three {q} tips nobody tells you' },
];

const SOURCES: Record<Platform, string> = {
  twitter: 'sandbox:twitter/explore',
  instagram: 'sandbox:instagram/reels',
  threads: 'sandbox:threads/search',
  tiktok: 'sandbox:tiktok/discover',
};

function hashtag(text: string): string {
  return '#' + text.split(/[^\p{L}\p{N}]+/u).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

export function trendsAt(seed: string, platform: Platform, window: TrendWindow, nowMs: number, query?: string): SandboxTrend[] {
  const bucketMs = BUCKET_MS[window];
  const bucket = Math.floor(nowMs / bucketMs);
  const bucketStart = bucket * bucketMs;
  const q = query?.trim() ?? '';
  const random = seededRandom(seed, 'trends', platform, window, bucket, q.toLowerCase());
  let candidates: { topic: string; sample: string }[];
  if (q) {
    const needle = q.toLowerCase();
    candidates = TOPICS.filter((t) => t.topic.toLowerCase().includes(needle) || t.sample.toLowerCase().includes(needle));
    for (const variant of QUERY_VARIANTS) {
      const topic = hashtag(`${q} ${variant.suffix}`);
      if (topic !== '#' && !candidates.some((c) => c.topic === topic)) candidates.push({ topic, sample: variant.sample.replace('{q}', q) });
    }
  } else {
    // A seeded shuffle, then the first few: which topics trend changes from bucket to bucket.
    candidates = [...TOPICS];
    for (let i = candidates.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    }
    candidates = candidates.slice(0, TRENDS_PER_BUCKET);
  }
  // detected_at stays inside the window for every reading within this bucket.
  const spread = WINDOW_MS[window] - bucketMs;
  return candidates
    .map((c) => ({
      trend_id: `trend-${sha256Hex(seed, platform, window, bucket, c.topic).slice(0, 12)}`,
      topic: c.topic,
      trend_score: Math.round(random.next() * 1000) / 1000,
      source: SOURCES[platform],
      sample_content: c.sample,
      detected_at: new Date(bucketStart - random.int(0, spread)).toISOString(),
    }))
    .sort((x, y) => y.trend_score - x.trend_score || x.topic.localeCompare(y.topic));
}

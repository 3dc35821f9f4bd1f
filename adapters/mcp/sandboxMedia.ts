import { sha256Hex } from './seededRandom.ts';

// Image and video "generation" in the sandbox: no pixels are made. The answer describes the
// asset a real generator would have returned (URL, dimensions, type, size, content hash), all
// derived from the request, so the same request always names the same asset.

export type ImageStyle = 'realistic' | 'anime' | 'artistic';
export type AspectRatio = '1:1' | '4:5' | '16:9';
export type VideoTier = 'tier_1_daily' | 'tier_2_hero';

export type SandboxImage = {
  media_url: string;
  dimensions: { width: number; height: number };
  mime_type: 'image/png';
  file_size: number;
  content_hash: string;
  character_reference_id: string;
  style: ImageStyle;
  aspect_ratio: AspectRatio;
  cost_usd: number;
  sandbox: true;
};

export type SandboxVideo = {
  media_url: string;
  duration: number;
  dimensions: { width: number; height: number };
  mime_type: 'video/mp4';
  file_size: number;
  content_hash: string;
  tier: VideoTier;
  cost_usd: number;
  sandbox: true;
};

const MEDIA_BASE = 'https://sandbox.chimera.local/media';
const IMAGE_SIZES: Record<AspectRatio, { width: number; height: number }> = {
  '1:1': { width: 1024, height: 1024 },
  '4:5': { width: 1080, height: 1350 },
  '16:9': { width: 1920, height: 1080 },
};
// Vertical video; the hero tier renders at twice the resolution and bitrate.
const VIDEO_SIZES: Record<VideoTier, { width: number; height: number; bytesPerSecond: number }> = {
  tier_1_daily: { width: 720, height: 1280, bytesPerSecond: 250_000 },
  tier_2_hero: { width: 1440, height: 2560, bytesPerSecond: 1_000_000 },
};

export function sandboxImage(input: { prompt: string; character_reference_id: string; style: ImageStyle; aspect_ratio: AspectRatio }): SandboxImage {
  const hash = sha256Hex('image', input.prompt, input.character_reference_id, input.style, input.aspect_ratio);
  const { width, height } = IMAGE_SIZES[input.aspect_ratio];
  return {
    media_url: `${MEDIA_BASE}/${hash}.png`,
    dimensions: { width, height },
    mime_type: 'image/png',
    // Roughly what a PNG of that size weighs, varied by the hash.
    file_size: Math.round(width * height * (1 + parseInt(hash.slice(0, 4), 16) / 65_536)),
    content_hash: hash,
    character_reference_id: input.character_reference_id,
    style: input.style,
    aspect_ratio: input.aspect_ratio,
    cost_usd: 0,
    sandbox: true,
  };
}

export function sandboxVideo(input: { prompt: string; tier: VideoTier; duration_s: number }): SandboxVideo {
  const hash = sha256Hex('video', input.prompt, input.tier, input.duration_s);
  const { width, height, bytesPerSecond } = VIDEO_SIZES[input.tier];
  return {
    media_url: `${MEDIA_BASE}/${hash}.mp4`,
    duration: input.duration_s,
    dimensions: { width, height },
    mime_type: 'video/mp4',
    file_size: input.duration_s * bytesPerSecond,
    content_hash: hash,
    tier: input.tier,
    cost_usd: 0,
    sandbox: true,
  };
}

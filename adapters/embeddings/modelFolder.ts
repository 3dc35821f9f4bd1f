import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

// The folder scripts/fetchModel.mjs fills at install time: model.onnx, the tokenizer's
// vocab.txt, sentence-transformers' configs and a manifest.json that is written last (a folder
// with a manifest is a complete one).

const Manifest = z.object({
  model_id: z.string(),
  variant: z.string(),
  dimension: z.number().int().positive(),
  files: z.record(z.string(), z.string()),
});
const SentenceBertConfig = z.object({ max_seq_length: z.number().int().min(2) });
const PoolingConfig = z.object({
  word_embedding_dimension: z.number().int().positive(),
  pooling_mode_mean_tokens: z.boolean(),
  pooling_mode_cls_token: z.boolean().optional(),
  pooling_mode_max_tokens: z.boolean().optional(),
  pooling_mode_mean_sqrt_len_tokens: z.boolean().optional(),
});

export type ModelFolder = {
  dir: string;
  modelId: string;
  variant: string;
  dimension: number;
  // The longest input in tokens, [CLS] and [SEP] included; longer texts are truncated.
  maxSeqLength: number;
  onnxFile: string;
  vocabText: string;
};

export type ModelFolderReading = { ok: true; folder: ModelFolder } | { ok: false; reason: string };

const FETCH_HINT = 'run `node scripts/fetchModel.mjs` (npm ci runs it)';

export async function readModelFolder(dir: string): Promise<ModelFolderReading> {
  const manifest = await readJson(dir, 'manifest.json', Manifest);
  if (!manifest.ok) return { ok: false, reason: `no complete model in ${dir} (${manifest.reason}); ${FETCH_HINT}` };
  for (const name of new Set(['model.onnx', 'vocab.txt', ...Object.keys(manifest.value.files)])) {
    try {
      await access(path.join(dir, name));
    } catch {
      return { ok: false, reason: `${path.join(dir, name)} is missing; ${FETCH_HINT}` };
    }
  }
  const sentenceBert = await readJson(dir, 'sentence_bert_config.json', SentenceBertConfig);
  if (!sentenceBert.ok) return { ok: false, reason: sentenceBert.reason };
  const pooling = await readJson(dir, '1_Pooling/config.json', PoolingConfig);
  if (!pooling.ok) return { ok: false, reason: pooling.reason };
  const p = pooling.value;
  // The adapters mean-pool; a model trained with another pooling would give other vectors.
  if (!p.pooling_mode_mean_tokens || p.pooling_mode_cls_token || p.pooling_mode_max_tokens || p.pooling_mode_mean_sqrt_len_tokens) {
    return { ok: false, reason: `${path.join(dir, '1_Pooling/config.json')} asks for a pooling other than mean pooling` };
  }
  if (p.word_embedding_dimension !== manifest.value.dimension) {
    return { ok: false, reason: `manifest.json says ${manifest.value.dimension} dimensions, 1_Pooling/config.json ${p.word_embedding_dimension}` };
  }
  let vocabText: string;
  try {
    vocabText = await readFile(path.join(dir, 'vocab.txt'), 'utf8');
  } catch (error) {
    return { ok: false, reason: `cannot read ${path.join(dir, 'vocab.txt')}: ${messageOf(error)}` };
  }
  return {
    ok: true,
    folder: {
      dir,
      modelId: manifest.value.model_id,
      variant: manifest.value.variant,
      dimension: manifest.value.dimension,
      maxSeqLength: sentenceBert.value.max_seq_length,
      onnxFile: path.join(dir, 'model.onnx'),
      vocabText,
    },
  };
}

type JsonReading<T> = { ok: true; value: T } | { ok: false; reason: string };

async function readJson<T>(dir: string, name: string, schema: z.ZodType<T>): Promise<JsonReading<T>> {
  const file = path.join(dir, name);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, reason: (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} is missing` : `cannot read ${file}: ${messageOf(error)}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${file} is not JSON` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `${file} is not as expected (${parsed.error.issues[0]?.message ?? 'invalid'})` };
  return { ok: true, value: parsed.data };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

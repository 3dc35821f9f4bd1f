import path from 'node:path';
import { parseArgs } from 'node:util';
import { selectModel } from '../adapters/models/selectModel.ts';
import { decidedReviews } from '../commands/judge/decidedReviews.ts';
import type { ChimeraConfig } from '../config.ts';
import { DEFAULT_CLASSIFIER_BANK } from '../domain/judge/contentPolicy.ts';
import { calibrate } from '../domain/judge/judgeCalibration.ts';
import { DEFAULT_EVAL_SET, judgeCases, printReport, readEvalSet, reportSplits } from './judgeEval.ts';
import { judgeParts } from './judgeParts.ts';
import { readTrainingSet, trainClassifier, trainingSetFiles, tuneSplitOf } from './judgeTrain.ts';
import { openChimeraDatabase } from './startChimera.ts';

export const JUDGE_USAGE = `  judge eval [--set FILE] [--split all|tune|holdout] [--json] [--max-unsafe N]
                             judge a labelled set; per category precision and recall, unsafe
                             auto-executions (exit 1 when more than N, default 0), benign
                             escalation, tiers, routing
  judge train [--set FILE] [--with-tune] [--bank ID]
                             embed the labelled training sets (domain/judge/classifier/*.jsonl,
                             and the eval set's tune split with --with-tune) and write the bank
  judge calibration [--json] how often moderators overturned the Judge, per category and
                             confidence band, and the thresholds that would have matched them
`;

export async function judgeCommand(args: string[], config: ChimeraConfig): Promise<number> {
  const [sub, ...rest] = args;
  const usage = (problem?: string) => {
    process.stderr.write(`${problem ? `${problem}\n` : ''}usage: chimera judge eval|train|calibration\n${JUDGE_USAGE}`);
    return 2;
  };
  if (rest.includes('--help') || rest.includes('-h')) return usage();
  try {
    switch (sub) {
      case 'eval':
        return await evalCommand(rest, config);
      case 'train':
        return await trainCommand(rest, config);
      case 'calibration':
        return await calibrationCommand(rest, config);
      default:
        return usage();
    }
  } catch (error) {
    // parseArgs refuses an unknown or malformed option: say which, not a stack trace.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return usage((error as Error).message);
    throw error;
  }
}

async function evalCommand(args: string[], config: ChimeraConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { set: { type: 'string' }, split: { type: 'string' }, json: { type: 'boolean' }, 'max-unsafe': { type: 'string' } } });
  const maxUnsafe = Number(values['max-unsafe'] ?? 0);
  const cases = readEvalSet(values.set ?? DEFAULT_EVAL_SET);
  const { judge, embedder, policy } = judgeParts(config, selectModel());
  try {
    const outcomes = await judgeCases(judge, cases, policy);
    const reports = reportSplits(outcomes, policy);
    const split = (values.split ?? 'all') as keyof typeof reports | 'all';
    if (values.json) {
      process.stdout.write(`${JSON.stringify(split === 'all' ? reports : { [split]: reports[split] }, null, 2)}\n`);
    } else {
      const shown = split === 'all' ? (['tune', 'holdout', 'all'] as const) : [split];
      process.stdout.write(`${shown.map((name) => printReport(name, reports[name])).join('\n\n')}\n`);
    }
    // CI's gate: nothing labelled may be published without a person (or, while the Judge is
    // below the bar, no more than the count it last measured).
    const unsafe = reports.all.unsafe_auto_executions;
    if (unsafe > maxUnsafe) process.stderr.write(`judge eval: ${unsafe} unsafe auto-executions, more than ${maxUnsafe} allowed\n`);
    return unsafe > maxUnsafe ? 1 : 0;
  } finally {
    await embedder.close();
  }
}

async function trainCommand(args: string[], config: ChimeraConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { set: { type: 'string' }, 'with-tune': { type: 'boolean' }, bank: { type: 'string' } } });
  const { embedder } = judgeParts(config, null);
  try {
    const files = values.set ? [values.set] : trainingSetFiles();
    const sets = files.map((file) => ({ name: path.relative(process.cwd(), file), texts: readTrainingSet(file) }));
    if (values['with-tune']) sets.push({ name: 'domain/judge/eval/judgeEvalSet.jsonl#tune', texts: tuneSplitOf(DEFAULT_EVAL_SET) });
    const run = await trainClassifier(embedder, sets, values.bank ?? DEFAULT_CLASSIFIER_BANK);
    process.stdout.write(`trained ${run.bank.bank_id} on ${run.bank.training.examples} examples (${run.bank.model_id}) in ${run.seconds.toFixed(1)} s → ${run.file}\n`);
    for (const c of run.bank.categories) {
      process.stdout.write(`  ${c.category.padEnd(22)} positives ${String(c.positives).padStart(4)}  threshold ${c.threshold.toFixed(3)}  cv recall ${c.cv_recall.toFixed(3)}  cv benign fpr ${c.cv_benign_fpr.toFixed(3)}\n`);
    }
    return 0;
  } finally {
    await embedder.close();
  }
}

async function calibrationCommand(args: string[], config: ChimeraConfig): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const database = await openChimeraDatabase(config);
  try {
    const calibration = calibrate(await decidedReviews(database), config.pipeline.hitlConfidenceThreshold);
    if (values.json) {
      process.stdout.write(`${JSON.stringify(calibration, null, 2)}\n`);
      return 0;
    }
    const rate = (n: number | null) => (n === null ? '–' : n.toFixed(3));
    const lines = [
      `decided by moderators: ${calibration.overall.decided}, overturned (approved) ${calibration.overall.overturned}, rate ${rate(calibration.overall.overturn_rate)}`,
      '',
      'category               decided  approved  rejected  edited  overturn  suggested threshold',
      ...calibration.by_category.map(
        (c) =>
          `${c.category.padEnd(22)} ${String(c.decided).padStart(7)} ${String(c.approved).padStart(9)} ${String(c.rejected).padStart(9)} ${String(c.edited).padStart(7)}  ${rate(c.overturn_rate).padStart(8)}  ${c.suggested_semantic_threshold ?? '–'}`,
      ),
      '',
      ...calibration.by_confidence_band.map((b) => `confidence ${b.band}: ${b.decided} decided, overturn ${rate(b.overturn_rate)}`),
      '',
      `auto-publish threshold: current ${calibration.auto_execute_threshold.current}, suggested ${calibration.auto_execute_threshold.suggested ?? '–'} (would have spared ${calibration.auto_execute_threshold.reviews_spared} of ${calibration.auto_execute_threshold.low_confidence_decided} low-confidence reviews)`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

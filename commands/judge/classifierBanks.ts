import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifierBankSchema, type ClassifierBank } from '../../domain/judge/semanticClassifier.ts';

// Classifier banks live beside the policy that names them, versioned with the repo:
// domain/judge/classifier/banks/<bank_id>.json, written by `chimera judge train`.
export const BANKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../domain/judge/classifier/banks');

export function bankPath(bankId: string, dir = BANKS_DIR): string {
  return path.join(dir, `${bankId}.json`);
}

// A bank by id, read once; a missing or malformed bank is an error value (the detector reports
// itself unavailable), so a policy naming a bank that is not there cannot clear anything.
export function classifierBanks(dir = BANKS_DIR): (bankId: string) => ClassifierBank | Error {
  const loaded = new Map<string, ClassifierBank | Error>();
  return (bankId) => {
    let bank = loaded.get(bankId);
    if (bank === undefined) {
      bank = readBank(bankId, dir);
      loaded.set(bankId, bank);
    }
    return bank;
  };
}

function readBank(bankId: string, dir: string): ClassifierBank | Error {
  if (!/^[\w.-]+$/u.test(bankId)) return new Error(`classifier bank id ${JSON.stringify(bankId)} is not a file name`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(bankPath(bankId, dir), 'utf8'));
  } catch (error) {
    return new Error(`classifier bank ${bankId} cannot be read: ${(error as Error).message}`);
  }
  const parsed = classifierBankSchema.safeParse(json);
  if (!parsed.success) return new Error(`classifier bank ${bankId} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  if (parsed.data.bank_id !== bankId) return new Error(`classifier bank file ${bankId}.json holds bank ${parsed.data.bank_id}`);
  return parsed.data;
}

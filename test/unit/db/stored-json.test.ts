import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsFolder, openDatabase, type SegbotDatabase } from '../../../db/client.js';
import { RUN_PARAMS_FORMAT } from '../../../db/json-formats.js';
import { createDatasetStore } from '../../../db/repositories/dataset-store.js';
import { createModelStore } from '../../../db/repositories/model-store.js';
import { createRunStore } from '../../../db/repositories/run-store.js';
import { decodeStored, encodeStored } from '../../../db/stored-json.js';
import { StoredFormatError, userMessage } from '../../../src/errors.js';
import { buildIngest, buildSegmentation } from './build-ingest.js';

const dirs: string[] = [];
const open: SegbotDatabase[] = [];
afterEach(() => {
  for (const database of open.splice(0)) database.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function track(database: SegbotDatabase): SegbotDatabase {
  open.push(database);
  return database;
}

/** A migrations folder holding only the first migration: a database as the previous version left it. */
function firstMigrationOnly(): string {
  const dir = mkdtempSync(join(tmpdir(), 'segbot-migrations-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'meta'));
  copyFileSync(join(defaultMigrationsFolder(), '0000_initial.sql'), join(dir, '0000_initial.sql'));
  const journal = {
    version: '7',
    dialect: 'sqlite',
    entries: [{ idx: 0, version: '6', when: 1795357634695, tag: '0000_initial', breakpoints: true }],
  };
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

async function seed(database: SegbotDatabase) {
  const ingest = buildIngest({ rows: 120 });
  const dataset = await createDatasetStore(database).saveDataset({ channelId: 'C1', userId: 'U1', ingest });
  const runs = createRunStore(database);
  const params = { k: 3, seed: 5 };
  const started = await runs.startRun({ channelId: 'C1', datasetId: dataset.id, userId: 'U1', params });
  await runs.completeRun(started.id, buildSegmentation(120, 3, 2));
  await createModelStore(database).saveModel({
    channelId: 'C1',
    datasetId: dataset.id,
    product: 'has_loan',
    model: { format: 'json', value: { trees: [1, 2, 3] } },
    metrics: { auc: 0.7 },
    transform: { version: 1, features: [] },
  });
  return { runId: started.id, datasetId: dataset.id };
}

describe('stored JSON formats', () => {
  it('writes {format, value} and reads it back checked', () => {
    const text = encodeStored(RUN_PARAMS_FORMAT, { k: 'auto', seed: 3, features: ['A'] });
    expect(JSON.parse(text)).toEqual({ format: 1, value: { k: 'auto', seed: 3, features: ['A'] } });
    expect(decodeStored(RUN_PARAMS_FORMAT, text)).toEqual({ k: 'auto', seed: 3, features: ['A'] });
  });

  it('refuses a value without a format, in another format or of another shape, saying which', () => {
    const error = (text: string) => {
      try {
        decodeStored(RUN_PARAMS_FORMAT, text);
      } catch (thrown) {
        return thrown;
      }
      throw new Error('expected a refusal');
    };
    const bare = error('{"k":3,"seed":1}');
    expect(bare).toBeInstanceOf(StoredFormatError);
    expect((bare as StoredFormatError).code).toBe('stored_format');
    expect(userMessage(bare)).toContain('stored run parameters');
    expect(userMessage(error('{"format":2,"value":{"k":3,"seed":1}}'))).toContain('format 2');
    expect(userMessage(error('{"format":1,"value":{"k":"many","seed":1}}'))).toContain(
      'k: expected a number',
    );
    expect(userMessage(error('not json'))).toContain('not valid JSON');
  });

  it('migrates rows written before formats were recorded, and reads them as before', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'segbot-db-')), 'segbot.sqlite');
    dirs.push(join(path, '..'));
    const old = openDatabase(path, { migrationsFolder: firstMigrationOnly() });
    const { runId } = await seed(old);
    const before = await createRunStore(old).getRun('C1', runId);
    // Strip the envelopes, leaving the rows exactly as the previous version wrote them.
    for (const column of ['params', 'transform', 'k_selection', 'silhouette_sample', 'pca']) {
      old.sqlite.prepare(`UPDATE runs SET ${column} = json_extract(${column}, '$.value')`).run();
    }
    old.sqlite
      .prepare(
        "UPDATE models SET metrics = json_extract(metrics, '$.value'), transform = json_extract(transform, '$.value'), model = CAST(json_extract(CAST(model AS TEXT), '$.value') AS BLOB)",
      )
      .run();
    await expect(createRunStore(old).getRun('C1', runId)).rejects.toThrow(StoredFormatError);
    old.close();

    const migrated = track(openDatabase(path));
    expect(await createRunStore(migrated).getRun('C1', runId)).toEqual(before);
    const model = await createModelStore(migrated).latestModel('C1', 'has_loan');
    expect(model?.model).toEqual({ format: 'json', value: { trees: [1, 2, 3] } });
    expect(model?.metrics).toEqual({ auc: 0.7 });
  });

  it('gives a clear error for a damaged row instead of failing deep inside', async () => {
    const database = track(openDatabase(':memory:'));
    const { runId } = await seed(database);
    database.sqlite.prepare(`UPDATE runs SET params = '{"format":1,"value":{"seed":"x"}}'`).run();
    await expect(createRunStore(database).getRun('C1', runId)).rejects.toThrow(
      /stored run parameters: k: expected a number/,
    );
  });
});

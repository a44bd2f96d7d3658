import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { parseSourceCatalog, readSourceCatalog } from '../../../src/sources/source-catalog.js';
import { thrown } from '../../helpers/thrown.js';

const noEnv = () => undefined;

describe('parseSourceCatalog', () => {
  it('reads postgres and file sources, resolving relative paths against the sources file', () => {
    const catalog = parseSourceCatalog(
      {
        sources: {
          warehouse: { kind: 'postgres', connectionEnv: 'WAREHOUSE_URL', query: 'SELECT * FROM c;  ' },
          lake: { kind: 'parquet', path: 'data/lake', batchRows: 500 },
        },
      },
      '/etc/segbot/sources.json',
      noEnv,
    );
    expect(catalog.sources.get('warehouse')).toEqual({
      kind: 'postgres',
      name: 'warehouse',
      connectionEnv: 'WAREHOUSE_URL',
      query: 'SELECT * FROM c',
      batchRows: 10_000,
    });
    expect(catalog.sources.get('lake')).toEqual({
      kind: 'parquet',
      name: 'lake',
      path: '/etc/segbot/data/lake',
      batchRows: 500,
    });
  });

  it.each([
    ['a password key', { kind: 'postgres', connectionEnv: 'X', query: 'SELECT 1', password: 'hunter2' }],
    [
      'a connection string with a password',
      { kind: 'postgres', connectionEnv: 'X', query: 'SELECT 1', description: 'postgres://bob:hunter2@db/x' },
    ],
    [
      'a connection string as connectionEnv',
      { kind: 'postgres', connectionEnv: 'postgres://bob@db/x', query: 'SELECT 1' },
    ],
  ])('refuses %s, without repeating the secret', (_what, source) => {
    const error = thrown(
      () => parseSourceCatalog({ sources: { warehouse: source } }, 'sources.json', noEnv),
      ConfigError,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.variable).toBe('SEGBOT_SOURCES_FILE');
    expect(String(error.message) + String(error.hint)).not.toContain('hunter2');
  });

  it('names an unknown key, a bad kind and a bad source name', () => {
    expect(
      thrown(
        () =>
          parseSourceCatalog({ sources: { lake: { kind: 'parquet', path: 'x', table: 't' } } }, 'f', noEnv),
        ConfigError,
      ).message,
    ).toMatch(/unknown key "table"/);
    expect(
      thrown(() => parseSourceCatalog({ sources: { lake: { kind: 'mysql' } } }, 'f', noEnv), ConfigError)
        .hint,
    ).toMatch(/"postgres", "parquet" or "csv"/);
    expect(
      thrown(
        () => parseSourceCatalog({ sources: { 'Big Lake': { kind: 'csv', path: 'x' } } }, 'f', noEnv),
        ConfigError,
      ).message,
    ).toMatch(/"Big Lake" is not allowed/);
  });
});

describe('readSourceCatalog', () => {
  it('is empty without SEGBOT_SOURCES_FILE, and looks connection strings up in the given environment', () => {
    expect(readSourceCatalog({}).sources.size).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'segbot-catalog-'));
    const file = join(dir, 'sources.json');
    writeFileSync(
      file,
      JSON.stringify({ sources: { w: { kind: 'postgres', connectionEnv: 'W_URL', query: 'SELECT 1' } } }),
    );
    const catalog = readSourceCatalog({ SEGBOT_SOURCES_FILE: file, W_URL: 'postgres://x' });
    expect(catalog.lookupEnv('W_URL')).toBe('postgres://x');
    // The catalog holds no copy of the environment, so printing it shows no credential.
    expect(JSON.stringify({ ...catalog, sources: [...catalog.sources.values()] })).not.toContain(
      'postgres://x',
    );
  });

  it('fails at start-up on a file that is missing or not JSON', () => {
    expect(
      thrown(() => readSourceCatalog({ SEGBOT_SOURCES_FILE: '/nonexistent/s.json' }), ConfigError).message,
    ).toMatch(/cannot read/);
    const dir = mkdtempSync(join(tmpdir(), 'segbot-catalog-'));
    writeFileSync(join(dir, 'bad.json'), '{ sources: ');
    expect(
      thrown(() => readSourceCatalog({ SEGBOT_SOURCES_FILE: join(dir, 'bad.json') }), ConfigError).message,
    ).toMatch(/not valid JSON/);
  });
});

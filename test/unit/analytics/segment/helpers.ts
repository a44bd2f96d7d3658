/**
 * Builders for the segmentation tests: a Table and Schema straight from simple CSV text (no quotes),
 * so these tests do not depend on the ingest module's parser.
 */
import { createRng } from '../../../../src/analytics/rng.js';
import type {
  Column,
  ColumnRole,
  IngestResult,
  QualityReport,
  Schema,
  Table,
} from '../../../../src/analytics/types.js';

/** Parses quote-free CSV text: a column is numeric when every non-empty cell is a number. */
export function tableFromCsv(text: string, fileName = 'test.csv'): Table {
  const lines = text.trimEnd().split('\n');
  const header = lines[0]!.split(',');
  const cells = lines.slice(1).map((line) => line.split(','));
  const columns: Column[] = header.map((name, j) => {
    const raw = cells.map((row) => (row[j] ?? '').trim());
    const numeric = raw.every((cell) => cell === '' || Number.isFinite(Number(cell)));
    const missing = raw.filter((cell) => cell === '').length;
    if (numeric) {
      return {
        name,
        kind: 'numeric',
        values: Float64Array.from(raw, (cell) => (cell === '' ? Number.NaN : Number(cell))),
        missing,
      };
    }
    return { name, kind: 'text', values: raw, missing };
  });
  return { fileName, rowCount: cells.length, columns, delimiter: ',', fingerprint: `fp-${text.length}` };
}

/**
 * A schema with the id column (CUST_ID-like or given), numeric columns as numeric, text columns as
 * categorical, and any roles given explicitly.
 */
export function schemaFor(table: Table, roles: Record<string, ColumnRole> = {}): Schema {
  const idColumn =
    Object.entries(roles).find(([, role]) => role === 'id')?.[0] ??
    table.columns.find((c) => /^(cust_?id|id|ncodpers)$/i.test(c.name))?.name ??
    null;
  return {
    idColumn,
    columns: table.columns.map((column) => {
      const role: ColumnRole =
        roles[column.name] ??
        (column.name === idColumn ? 'id' : column.kind === 'numeric' ? 'numeric' : 'categorical');
      return { name: column.name, role, reason: `test: ${role}` };
    }),
  };
}

/** A minimal quality report, enough for the pipeline to pass through. */
export function qualityFor(table: Table, schema: Schema): QualityReport {
  const byRole: Record<ColumnRole, string[]> = {
    id: [],
    numeric: [],
    categorical: [],
    product: [],
    date: [],
    ignored: [],
  };
  for (const column of schema.columns) byRole[column.role].push(column.name);
  return {
    fileName: table.fileName,
    rows: table.rowCount,
    columnCount: table.columns.length,
    byRole,
    columns: table.columns.map((column) => ({
      name: column.name,
      role: schema.columns.find((c) => c.name === column.name)!.role,
      missing: column.missing,
      notes: [],
    })),
    dropped: [],
    notes: [],
  };
}

/** An IngestResult built from CSV text with the helpers above. */
export function ingestFromCsv(
  text: string,
  roles: Record<string, ColumnRole> = {},
  fileName = 'test.csv',
): IngestResult {
  const table = tableFromCsv(text, fileName);
  const schema = schemaFor(table, roles);
  return { table, schema, quality: qualityFor(table, schema) };
}

/**
 * A seeded churn-modelling-style table (CustomerId, CreditScore, Geography, Age, Tenure, Balance,
 * NumOfProducts, EstimatedSalary, Exited) in which one country has no zero balances, as in the real
 * table: the country then lines up with a numeric column and is easy to over-weigh.
 */
export function churnLikeCsv(seed: number, rows: number): string {
  const rng = createRng(seed);
  const lines = ['CustomerId,CreditScore,Geography,Age,Tenure,Balance,NumOfProducts,EstimatedSalary,Exited'];
  for (let i = 0; i < rows; i++) {
    const u = rng.next();
    const country = u < 0.5 ? 'France' : u < 0.75 ? 'Germany' : 'Spain';
    const age = Math.round(Math.min(90, Math.max(18, 39 + 10 * rng.normal())));
    const zeroBalance = country !== 'Germany' && rng.next() < 0.5;
    const balance = zeroBalance ? 0 : Math.round(Math.max(1000, 120000 + 30000 * rng.normal()));
    const products = 1 + rng.int(rng.next() < 0.9 ? 2 : 4);
    const exited = rng.next() < (age > 45 ? 0.4 : 0.12) ? 1 : 0;
    lines.push(
      [
        15600000 + i,
        Math.round(650 + 95 * rng.normal()),
        country,
        age,
        rng.int(11),
        balance,
        products,
        Math.round(rng.next() * 200000),
        exited,
      ].join(','),
    );
  }
  return lines.join('\n');
}

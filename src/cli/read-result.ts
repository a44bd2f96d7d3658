/**
 * Reads back the result file that `segbot segment --json` writes, checking every part a report
 * uses, so a hand-edited or foreign file is an error naming the place that differs (never a value).
 */
import { K_SELECTION_FORMAT, RUN_PARAMS_FORMAT, SILHOUETTE_SAMPLE_FORMAT } from '../../db/json-formats.js';
import type {
  CampaignAction,
  ColumnQuality,
  ColumnRole,
  FeatureProfile,
  FeatureSpec,
  FittedTransform,
  KSelection,
  QualityReport,
  Trait,
} from '../analytics/types.js';
import { BadInputError } from '../errors.js';
import {
  arrayOf,
  boolean,
  jsonNumber,
  nullable,
  number,
  object,
  oneOf,
  optional,
  record,
  type Shape,
  ShapeError,
  string,
} from '../json-shape.js';
import type { ReportSegment } from '../report/deck-model.js';
import type { ReportableResult } from '../services/build-report.js';

const ROLES: ColumnRole[] = ['id', 'numeric', 'categorical', 'product', 'date', 'ignored'];
const role = oneOf(...ROLES);

const byRoleShape: Shape<Record<ColumnRole, string[]>> = (value, path) => {
  const input = record(value, path);
  const lists = ROLES.map((r) => [r, arrayOf(string)(input[r] ?? [], `${path}.${r}`)] as const);
  return Object.fromEntries(lists) as Record<ColumnRole, string[]>;
};

const qualityShape = object<QualityReport>({
  fileName: string,
  rows: number,
  columnCount: number,
  byRole: byRoleShape,
  columns: arrayOf(
    object<ColumnQuality>({
      name: string,
      role,
      missing: number,
      min: optional(jsonNumber),
      max: optional(jsonNumber),
      mean: optional(jsonNumber),
      median: optional(jsonNumber),
      distinct: optional(number),
      notes: arrayOf(string),
    }),
  ),
  dropped: arrayOf(object({ name: string, reason: string })),
  notes: arrayOf(string),
});

const numericSpec = object<Extract<FeatureSpec, { kind: 'numeric' }>>({
  kind: oneOf('numeric'),
  name: string,
  column: string,
  median: jsonNumber,
  imputed: number,
  log1p: boolean,
  mean: jsonNumber,
  std: jsonNumber,
});
const onehotSpec = object<Extract<FeatureSpec, { kind: 'onehot' }>>({
  kind: oneOf('onehot'),
  name: string,
  column: string,
  category: string,
  mean: jsonNumber,
  std: jsonNumber,
});
const featureSpec: Shape<FeatureSpec> = (value, path) =>
  record(value, path).kind === 'onehot' ? onehotSpec(value, path) : numericSpec(value, path);

const transformShape = object<FittedTransform>({ version: oneOf(1), features: arrayOf(featureSpec) });

const segmentShape = object<ReportSegment>({
  index: number,
  name: string,
  size: number,
  share: number,
  profile: arrayOf(
    object<FeatureProfile>({
      feature: string,
      mean: jsonNumber,
      median: jsonNumber,
      populationMean: jsonNumber,
      z: jsonNumber,
    }),
  ),
  traits: arrayOf(
    object<Trait>({
      feature: string,
      direction: oneOf('high', 'low'),
      z: number,
      text: string,
      flag: optional(
        object<NonNullable<Trait['flag']>>({ share: number, overall: number, positive: optional(string) }),
      ),
    }),
  ),
  actions: arrayOf(object<CampaignAction>({ title: string, reason: string })),
});

const resultShape = object({
  k: number,
  silhouette: jsonNumber,
  silhouetteSample: SILHOUETTE_SAMPLE_FORMAT.shape,
  kSelection: nullable<KSelection>(K_SELECTION_FORMAT.shape),
  quality: qualityShape,
  transform: transformShape,
  params: RUN_PARAMS_FORMAT.shape,
  segments: arrayOf(segmentShape),
});

/** Parses a `segbot segment --json` file; BadInputError says what is wrong and where. */
export function readResultJson(text: string, fileName: string): ReportableResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadInputError(`${fileName} is not valid JSON.`, {
      hint: 'Give the file written by `segbot segment customers.csv --json result.json`, or the customers CSV itself.',
    });
  }
  try {
    const parsed = resultShape(value, '');
    if (parsed.segments.length === 0) throw new ShapeError('segments', 'at least one segment');
    const { k, seed, features } = parsed.params;
    return { ...parsed, params: { k, seed, features: features ?? [] } };
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new BadInputError(`${fileName} is not a segbot result file (${error.message}).`, {
      hint: 'Write one with `segbot segment customers.csv --json result.json`.',
    });
  }
}

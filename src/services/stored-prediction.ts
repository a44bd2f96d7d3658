/**
 * What `/segbot predict` keeps in the model store: the trained model and the metrics of the run
 * that trained it, so a later request on unchanged data is scored without training again. Read
 * back through a shape check, so a row written by another version is an error that says so
 * instead of a crash deep inside scoring.
 */
import type { CampaignRule, CampaignRules, RuleCondition } from '../analytics/predict/campaign-rules.js';
import type { DecileRow } from '../analytics/predict/evaluate.js';
import type { Driver, FeatureReasons, ReasonTable } from '../analytics/predict/explain-scores.js';
import type { PropensityModel, PropensityResult } from '../analytics/predict/train-propensity.js';
import { StoredFormatError } from '../errors.js';
import {
  arrayOf,
  boolean,
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

/** The metrics of a trained model: its result without the per-customer parts. */
export type StoredMetrics = Omit<PropensityResult, 'scores' | 'customerList'>;

export interface StoredPrediction {
  model: PropensityModel;
  result: StoredMetrics;
}

/** A serialized part with its own `version: 1` (binner, forest), read in full by its own reader. */
function versioned<T extends { version: 1 }>(): Shape<T> {
  return (value, path) => {
    const checked = record(value, path);
    oneOf(1)(checked.version, `${path}.version`);
    return checked as T;
  };
}

const modelShape = object<PropensityModel>({
  version: oneOf(1),
  product: string,
  label: string,
  positive: string,
  features: arrayOf(object({ name: string, kind: oneOf('numeric', 'categorical'), flag: boolean })),
  binner: versioned(),
  // Models stored before boosting have a forest and no kind.
  kind: optional(oneOf('boosting', 'forest', 'logistic')),
  forest: optional(versioned()),
  boosting: optional(versioned()),
  logistic: optional(versioned()),
  reasons: object<ReasonTable>({
    version: oneOf(1),
    features: arrayOf(
      object<FeatureReasons>({
        points: arrayOf(number),
        other: number,
        missing: number,
        lowUpTo: number,
        highFrom: number,
      }),
    ),
    minPoints: number,
  }),
  fingerprint: string,
});

const conditionShape: Shape<RuleCondition> = (value, path) => {
  const kind = oneOf('numeric', 'categorical')(record(value, path).kind, `${path}.kind`);
  return kind === 'numeric'
    ? object<RuleCondition>({
        kind: oneOf('numeric'),
        column: string,
        over: nullable(number),
        atMost: nullable(number),
        missing: boolean,
      })(value, path)
    : object<RuleCondition>({
        kind: oneOf('categorical'),
        column: string,
        values: arrayOf(string),
        others: boolean,
        known: arrayOf(string),
        missing: boolean,
      })(value, path);
};

const rulesShape = object<CampaignRules>({
  part: oneOf('held-out'),
  customers: number,
  positives: number,
  baseRate: number,
  rules: arrayOf(
    object<CampaignRule>({
      conditions: arrayOf(conditionShape),
      text: string,
      kind: oneOf('high', 'low'),
      customers: number,
      positives: number,
      rate: number,
    }),
  ),
});

const decileShape = object<DecileRow>({
  decile: number,
  customers: number,
  holders: number,
  rate: number,
  lift: number,
  cumulativeShare: number,
  meanPredicted: number,
});

const metricsShape = object<StoredMetrics>({
  product: string,
  label: string,
  positive: string,
  askedValue: nullable(string),
  holding: boolean,
  customers: number,
  holders: number,
  trusted: boolean,
  auc: nullable(number),
  baseRate: number,
  liftTopDecile: nullable(number),
  precisionTopDecile: nullable(number),
  heldOut: nullable(object({ customers: number, holders: number })),
  gains: arrayOf(decileShape),
  calibration: arrayOf(object({ decile: number, predicted: number, observed: number })),
  importances: arrayOf(object({ feature: string, importance: number })),
  drivers: arrayOf(
    object<Driver>({
      feature: string,
      importance: number,
      direction: oneOf('up', 'down', 'mixed'),
      text: string,
    }),
  ),
  rules: nullable(rulesShape),
  baselineAuc: nullable(number),
  beatsBaseline: nullable(boolean),
  // Results stored before boosting lack the comparison; they read as having none.
  model: (value, path) =>
    value === undefined ? null : nullable(oneOf('boosting', 'forest', 'logistic'))(value, path),
  models: (value, path) =>
    value === undefined
      ? []
      : arrayOf(
          object({
            model: oneOf('boosting', 'forest', 'logistic'),
            validationAuc: nullable(number),
            testAuc: nullable(number),
          }),
        )(value, path),
  summary: string,
  leakage: arrayOf(
    object({
      feature: string,
      reason: oneOf('near-copy', 'alone', 'dominant'),
      auc: number,
      share: nullable(number),
    }),
  ),
  warnings: arrayOf(string),
  selection: object({ features: nullable(arrayOf(string)), exclude: arrayOf(string) }),
  features: arrayOf(string),
  params: object({ seed: number, nTrees: number, minSamplesLeaf: number, testFraction: number }),
});

const predictionShape = object<StoredPrediction>({ model: modelShape, result: metricsShape });

/** The stored form of a freshly trained model and its result. */
export function storedPrediction(model: PropensityModel, result: PropensityResult): StoredPrediction {
  const { scores: _scores, customerList: _list, ...metrics } = result;
  return { model, result: metrics };
}

/** Reads a stored prediction back; throws StoredFormatError when it has another shape. */
export function parseStoredPrediction(value: unknown): StoredPrediction {
  try {
    return predictionShape(value, '');
  } catch (error) {
    if (error instanceof ShapeError) throw StoredFormatError.about('model', error.message);
    throw error;
  }
}

/**
 * The formats of segbot's stored JSON values (see stored-json.ts). Changing what is written means a
 * new version number here and a migration that rewrites older rows.
 */
import type { ScoreCut } from '../src/analytics/campaign/audience.js';
import type { GroupOutcome } from '../src/analytics/campaign/lift.js';
import type { SuppressionReason } from '../src/analytics/campaign/suppress.js';
import type {
  ClusterMethod,
  CovarianceType,
  FittedTransform,
  KScore,
  KSelection,
  MethodChoice,
} from '../src/analytics/types.js';
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
  string,
} from '../src/json-shape.js';
import type { StoredFormat } from './stored-json.js';

/** Parameters of a segmentation run as requested, then as actually used once it completes. */
export interface RunParams {
  k: 'auto' | number;
  seed: number;
  features?: string[];
  log?: 'auto' | 'none';
  nInit?: number;
  /**
   * How the customers were grouped; absent on runs from before other methods (k-means). A running
   * or failed run may say `compare`; a completed compare says the method whose segments it kept.
   */
  method?: MethodChoice;
  covariance?: CovarianceType;
  /** With `compare`: the method asked to be kept (the completed run then says that method). */
  keep?: ClusterMethod;
  /** GMM: per segment index, the share of its customers whose membership is at least 90% sure. */
  sure?: number[];
  /** Density: index of the "Unusual customers" segment. */
  unusualSegment?: number;
}

/** The PCA summary kept with a run (the per-customer projection is a blob in `assignments`). */
export interface RunPca {
  explainedVarianceRatio: number[];
  components: number[][];
}

export interface SilhouetteSample {
  exact: boolean;
  size: number;
}

const kShape: Shape<'auto' | number> = (value, path) => (value === 'auto' ? 'auto' : number(value, path));

/**
 * A part whose members the code that uses it reads and checks itself (a fitted transform's
 * per-feature specs): here only that it is an object with `version: 1`.
 */
function versioned<T extends { version: 1 }>(): Shape<T> {
  return (value, path) => {
    const checked = record(value, path);
    oneOf(1)(checked.version, path ? `${path}.version` : 'version');
    return checked as T;
  };
}

const silhouetteSampleShape = object<SilhouetteSample>({ exact: boolean, size: number });

/** Every format so far is the first of its kind; a change adds a version and a migration. */
function firstFormat<T>(what: string, shape: Shape<T>): StoredFormat<T> {
  return { what, version: 1, shape };
}

export const RUN_PARAMS_FORMAT = firstFormat<RunParams>(
  'run parameters',
  object<RunParams>({
    k: kShape,
    seed: number,
    features: optional(arrayOf(string)),
    log: optional(oneOf('auto', 'none')),
    nInit: optional(number),
    method: optional(oneOf('kmeans', 'gmm', 'density', 'compare')),
    covariance: optional(oneOf('full', 'diag')),
    keep: optional(oneOf('kmeans', 'gmm', 'density')),
    sure: optional(arrayOf(number)),
    unusualSegment: optional(number),
  }),
);

export const RUN_TRANSFORM_FORMAT = firstFormat('run transform', versioned<FittedTransform>());

export const K_SELECTION_FORMAT = firstFormat<KSelection>(
  'choice of the number of segments',
  object<KSelection>({
    k: number,
    scores: arrayOf(
      // stability was added later, optional like smallestShare, so rows written before it still read.
      object<KScore>({
        k: number,
        inertia: number,
        silhouette: jsonNumber,
        smallestShare: optional(number),
        stability: optional(number),
      }),
    ),
    silhouetteSample: silhouetteSampleShape,
    fitSampleSize: optional(number),
    reason: string,
  }),
);

export const SILHOUETTE_SAMPLE_FORMAT = firstFormat('silhouette sample', silhouetteSampleShape);

export const RUN_PCA_FORMAT = firstFormat<RunPca>(
  'run PCA summary',
  object<RunPca>({ explainedVarianceRatio: arrayOf(number), components: arrayOf(arrayOf(number)) }),
);

/** Any JSON value: for parts whose reader checks them (a model's payload, its transform). */
const anyJson: Shape<unknown> = (value) => value;

export const MODEL_PAYLOAD_FORMAT = firstFormat('model', anyJson);
export const MODEL_METRICS_FORMAT = firstFormat<unknown>('model metrics', record);
export const MODEL_TRANSFORM_FORMAT = firstFormat('model transform', anyJson);

/** How a campaign's audience was built, as stored with it. */
export interface CampaignDefinition {
  /** The segments targeted (index and name at assignment); null for the whole customer base. */
  segments: { index: number; name: string }[] | null;
  /** 'rfm' when `segments` are named RFM segments (index in the RFM rule table), not a run's. */
  segmentKind?: 'rfm';
  /** The product's readable name, when there is a product. */
  productLabel: string | null;
  cut: ScoreCut | null;
  /** Share held back, 0.05 to 0.2. */
  holdout: number;
  seed: number;
  /** Customers the segments and cut picked, before suppression and exclusions. */
  eligible: number;
  suppressed: Record<SuppressionReason, number>;
  excluded: number;
  treatment: number;
  control: number;
  /** The product's holding rate in the dataset, used as the expected base rate; null without a product. */
  baseRate: number | null;
  /** The plain-words power statement given when the campaign started. */
  power: string;
}

/** The latest measured outcome of a campaign. */
export interface CampaignResultRecord {
  source: 'later upload' | 'responder list';
  /** The file the outcome came from. */
  sourceFile: string;
  measuredAt: string;
  treatment: GroupOutcome;
  control: GroupOutcome;
  absoluteLift: number;
  lower: number;
  upper: number;
  relativeLift: number | null;
  incrementalConversions: number;
  verdict: 'worked' | 'backfired' | 'inconclusive' | 'no-data';
  verdictText: string;
  /** Members the later upload did not contain. */
  unmatched: number;
  /** Listed responders who were not in the campaign. */
  outsiders: number;
}

const groupOutcomeShape = object<GroupOutcome>({ customers: number, conversions: number });

const scoreCutShape: Shape<ScoreCut> = (value, path) => {
  const checked = record(value, path);
  return checked.kind === 'top'
    ? object<ScoreCut>({ kind: oneOf('top'), count: number })(value, path)
    : object<ScoreCut>({ kind: oneOf('deciles'), from: number, to: number })(value, path);
};

export const CAMPAIGN_DEFINITION_FORMAT = firstFormat<CampaignDefinition>(
  'campaign definition',
  object<CampaignDefinition>({
    segments: nullable(arrayOf(object({ index: number, name: string }))),
    segmentKind: optional(oneOf('rfm')),
    productLabel: nullable(string),
    cut: nullable(scoreCutShape),
    holdout: number,
    seed: number,
    eligible: number,
    suppressed: object<Record<SuppressionReason, number>>({
      deceased: number,
      'opted out': number,
      employee: number,
      'suppression list': number,
    }),
    excluded: number,
    treatment: number,
    control: number,
    baseRate: nullable(number),
    power: string,
  }),
);

export const CAMPAIGN_RESULT_FORMAT = firstFormat<CampaignResultRecord>(
  'campaign result',
  object<CampaignResultRecord>({
    source: oneOf('later upload', 'responder list'),
    sourceFile: string,
    measuredAt: string,
    treatment: groupOutcomeShape,
    control: groupOutcomeShape,
    absoluteLift: number,
    lower: number,
    upper: number,
    relativeLift: nullable(number),
    incrementalConversions: number,
    verdict: oneOf('worked', 'backfired', 'inconclusive', 'no-data'),
    verdictText: string,
    unmatched: number,
    outsiders: number,
  }),
);

/**
 * What a queued job was asked to do, enough for any instance to do it again: the words of a
 * `/segbot` command, or a CSV shared into the channel (the file's id, name and where to reply).
 * Never file contents, download links or tokens: the instance that runs it asks Slack again.
 */
export type JobRequest =
  | { source: 'command'; words: string[] }
  | { source: 'file'; fileId: string; fileName: string | null; threadTs: string };

export const JOB_REQUEST_FORMAT = firstFormat<JobRequest>('job request', (value, path) => {
  const checked = record(value, path);
  return checked.source === 'command'
    ? object<JobRequest>({ source: oneOf('command'), words: arrayOf(string) })(value, path)
    : object<JobRequest>({
        source: oneOf('file'),
        fileId: string,
        fileName: nullable(string),
        threadTs: string,
      })(value, path);
});

/**
 * The shapes the analytics core passes around. Everything here is plain data: typed arrays for the
 * large parts, JSON-friendly objects for the rest, so the CLI, the bot and the database can all
 * hold the same values.
 */

/** A dense row-major matrix: element (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

// ---------------------------------------------------------------------------------------------
// Ingest
// ---------------------------------------------------------------------------------------------

/**
 * A column as parsed. Numeric columns hold numbers with NaN for a missing cell; every other column
 * keeps its trimmed text with '' for a missing cell. The parser decides numeric vs text from the
 * cells alone; the schema decides what the column means.
 */
export type Column =
  | { name: string; kind: 'numeric'; values: Float64Array; missing: number }
  | { name: string; kind: 'text'; values: string[]; missing: number };

/** A parsed CSV file, column by column, in header order. */
export interface Table {
  fileName: string;
  rowCount: number;
  columns: Column[];
  /** Detected field delimiter. */
  delimiter: ',' | ';' | '\t';
  /** Hex SHA-256 of the file's bytes: identifies a dataset version. */
  fingerprint: string;
  /** The file line skipped because it described the columns (descriptions or units), if any. */
  descriptionLine?: number;
}

/**
 * What a column means for segbot.
 * - id: the customer identifier (unique per row)
 * - numeric: a behaviour or amount, used for clustering and prediction
 * - categorical: a low-cardinality text column, one-hot encoded for clustering
 * - product: a binary holding flag (0/1, true/false, Y/N, S/N); a prediction target, kept out of
 *   clustering by default
 * - date: a date column, reported and turned into an age in days where useful, not clustered
 * - ignored: free text, high-cardinality text, or constant columns (the reason says which)
 */
export type ColumnRole = 'id' | 'numeric' | 'categorical' | 'product' | 'date' | 'ignored';

export interface ColumnSchema {
  name: string;
  role: ColumnRole;
  /** Why the column got its role, in a few words a person understands ("constant: every value is 12"). */
  reason: string;
  /** Distinct values for categorical columns, most frequent first (capped). */
  categories?: string[];
  /** For product columns: a readable product name ("credit card" for ind_tjcr_fin_ult1). */
  label?: string;
}

export interface Schema {
  idColumn: string | null;
  columns: ColumnSchema[];
}

export interface ColumnQuality {
  name: string;
  role: ColumnRole;
  missing: number;
  /** min / max / mean / median for numeric and product columns. */
  min?: number;
  max?: number;
  mean?: number;
  median?: number;
  distinct?: number;
  /** Out-of-range or suspicious values, each a sentence ("8 values of CASH_ADVANCE_FREQUENCY above 1"). */
  notes: string[];
}

export interface QualityReport {
  fileName: string;
  rows: number;
  columnCount: number;
  byRole: Record<ColumnRole, string[]>;
  columns: ColumnQuality[];
  /** Columns dropped before modelling, with the reason. */
  dropped: { name: string; reason: string }[];
  /** Dataset-wide notes (e.g. "227 customers have BALANCE above CREDIT_LIMIT"). */
  notes: string[];
}

/** The result of ingesting one file. */
export interface IngestResult {
  table: Table;
  schema: Schema;
  quality: QualityReport;
}

// ---------------------------------------------------------------------------------------------
// Preprocessing (a fitted, reusable transform)
// ---------------------------------------------------------------------------------------------

/** One input column of the model matrix, with everything needed to rebuild it for new customers. */
export type FeatureSpec =
  | {
      kind: 'numeric';
      /** Name of the feature in the matrix (same as the column for numeric features). */
      name: string;
      column: string;
      /** Median used to impute missing values, in original units. */
      median: number;
      /** How many values were imputed when the transform was fitted. */
      imputed: number;
      log1p: boolean;
      /** Mean and standard deviation after imputation and optional log1p. */
      mean: number;
      std: number;
    }
  | {
      kind: 'onehot';
      /** "segmento=02 - PARTICULARES" */
      name: string;
      column: string;
      category: string;
      mean: number;
      std: number;
    };

export interface FittedTransform {
  version: 1;
  features: FeatureSpec[];
}

// ---------------------------------------------------------------------------------------------
// Clustering
// ---------------------------------------------------------------------------------------------

export interface PcaModel {
  /** Column means of the input. */
  mean: Float64Array;
  /** Principal axes, row-major: component c is `components[c * cols .. (c + 1) * cols]`. */
  components: Matrix;
  /** Variance along each component (eigenvalues of the covariance matrix), descending. */
  explainedVariance: Float64Array;
  explainedVarianceRatio: Float64Array;
}

export interface KMeansOptions {
  k: number;
  seed: number;
  /** Number of k-means++ restarts; the best inertia wins. */
  nInit?: number;
  maxIterations?: number;
  /** Stop when no centroid moves more than this (in squared standardized units). */
  tolerance?: number;
  /**
   * Above this many rows the restarts run on a seeded sample of this size and the winner is refined
   * on all rows (default 20,000; Infinity restarts on all rows).
   */
  restartSampleSize?: number;
}

export interface KMeansResult {
  k: number;
  centroids: Matrix;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  /** Restart index that won. */
  bestInit: number;
}

export interface KScore {
  k: number;
  inertia: number;
  silhouette: number;
  /** Share of rows in the smallest segment (a k with a segment under ~2% is passed over). */
  smallestShare?: number;
  /**
   * Agreement (adjusted Rand index) between this fit and fits from other seeds on a subsample: 1 when
   * the segments do not depend on the seed (an unstable k is passed over).
   */
  stability?: number;
}

export interface KSelection {
  k: number;
  scores: KScore[];
  /** Whether silhouette was computed on all rows or a seeded sample, and how many. */
  silhouetteSample: { exact: boolean; size: number };
  /** Set when the k search ran on a seeded sample of the rows: how many (the chosen k is then fitted on all). */
  fitSampleSize?: number;
  /** One or two sentences: which k won and why ("k=4: best silhouette 0.25 among 3..8; elbow at 4"). */
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Segments, personas and the playbook
// ---------------------------------------------------------------------------------------------

export interface FeatureProfile {
  feature: string;
  /** Mean and median of the segment in original units (before log1p and scaling). */
  mean: number;
  median: number;
  /** Population mean in original units, for comparison. */
  populationMean: number;
  /** (segment mean - population mean) / population std, in the modelling space. */
  z: number;
}

export interface Trait {
  feature: string;
  direction: 'high' | 'low';
  z: number;
  /** "CASH_ADVANCE 4.1x the average (3,050 vs 979)" */
  text: string;
  /**
   * For a yes/no holding or outcome: the share with the flag in the segment and overall, and the
   * value read as "yes" when the column holds text ("Attrited Customer").
   */
  flag?: { share: number; overall: number; positive?: string };
}

export interface CampaignAction {
  title: string;
  reason: string;
}

export type PersonaKey =
  | 'vip'
  | 'revolver'
  | 'transactor'
  | 'installment'
  | 'oneoff'
  | 'cash_advance'
  | 'dormant'
  | 'new'
  | 'credit_seeker'
  | 'everyday'
  | 'low_value';

export interface Segment {
  index: number;
  /** Business name, unique within a run ("Revolvers", "VIP high spenders"). */
  name: string;
  persona: PersonaKey;
  size: number;
  share: number;
  profile: FeatureProfile[];
  /** The traits that set this segment apart, strongest first (at least 3 where the data has them). */
  traits: Trait[];
  actions: CampaignAction[];
  centroid: { standardized: number[]; original: Record<string, number> };
}

/** How customers are grouped: k-means, a Gaussian mixture, or density (DBSCAN on PCA components). */
export type ClusterMethod = 'kmeans' | 'gmm' | 'density';

/** A method, or `compare`: all three on the same data, side by side (one of them is kept; k-means unless asked). */
export type MethodChoice = ClusterMethod | 'compare';

export const CLUSTER_METHODS: readonly ClusterMethod[] = ['kmeans', 'gmm', 'density'];

/** Covariance of each Gaussian mixture component: a full matrix, or only variances per feature. */
export type CovarianceType = 'full' | 'diag';

/** What the method found beyond the labels: the BIC per k, or the density radius. */
export type MethodFit =
  | {
      method: 'gmm';
      covariance: CovarianceType;
      /** BIC per k tried (one entry when k was fixed); lower is better. */
      bic: { k: number; bic: number; logLikelihood: number }[];
      /** Mean log-likelihood per customer over every customer. */
      logLikelihood: number;
      /** Customers EM ran on (a seeded sample on large files). */
      fitRows: number;
    }
  | {
      method: 'density';
      /** Neighbourhood radius in PCA units, and the neighbours that make a point "dense". */
      eps: number;
      minPoints: number;
      /** PCA components the density was measured on. */
      dims: number;
      fitRows: number;
      outliers: number;
    };

/** One method's line in a `method=compare` report. */
export interface MethodSummary {
  method: ClusterMethod;
  k: number;
  silhouette: number;
  /** Wall time of the grouping itself (preprocessing and PCA are shared and not counted). */
  seconds: number;
  segments: { name: string; size: number; share: number }[];
  /** GMM: per segment, the share of its customers clearly inside it. */
  sure?: number[];
  /** Density: the index of the "Unusual customers" segment, if any. */
  unusualSegment?: number;
}

export interface MethodComparison {
  methods: MethodSummary[];
  /** The method whose segments the result (and a stored run) keeps. */
  kept: ClusterMethod;
  /** Adjusted Rand index of each pair of methods (1 = the same grouping). */
  agreement: { a: ClusterMethod; b: ClusterMethod; ari: number }[];
  /** Every silhouette was computed on these same customers. */
  silhouetteSample: { exact: boolean; size: number };
}

export interface SegmentOptions {
  /** 'auto' picks k in 3..8 from silhouette and the elbow, with no segment under 2%; a number fixes k (2 included). */
  k: 'auto' | number;
  /** Default kmeans. With gmm, 'auto' picks k in 3..8 by BIC; density finds its own number. */
  method?: MethodChoice;
  /** Gaussian mixture covariances (default full). */
  covariance?: CovarianceType;
  /** With `compare`: the method whose segments the result keeps (default kmeans). */
  keep?: ClusterMethod;
  /** Milliseconds clock for the compare timings (default performance.now). */
  clock?: () => number;
  seed: number;
  /** Restrict clustering to these columns (by name); default: every numeric and categorical column. */
  features?: string[];
  /** 'auto' applies log1p to heavily skewed non-negative amount columns; 'none' never does. */
  log?: 'auto' | 'none';
  nInit?: number;
  /** Called as the pipeline moves on, so a Slack progress message can follow it. */
  onStage?: (stage: SegmentStage) => void;
}

export type SegmentStage = 'preprocess' | 'pca' | 'choose-k' | 'cluster' | 'silhouette' | 'profile';

export interface SegmentationResult {
  k: number;
  silhouette: number;
  inertia: number;
  params: {
    k: 'auto' | number;
    seed: number;
    features: string[];
    log: 'auto' | 'none';
    nInit: number;
    /**
     * Normalized mutual information between the segments and each categorical feature column
     * (0 = unrelated, 1 = the segments are that column's categories), so a reader can see that no
     * single category decides the segments.
     */
    categoryAgreement: { column: string; nmi: number }[];
    /** Absent on runs made before other methods existed: those are k-means. */
    method?: ClusterMethod;
    covariance?: CovarianceType;
    /** GMM: per segment index, the share of its customers whose membership is at least 90% sure. */
    sure?: number[];
    /** Density: index of the "Unusual customers" segment (outliers of every dense group). */
    unusualSegment?: number;
  };
  fingerprint: string;
  quality: QualityReport;
  transform: FittedTransform;
  kSelection: KSelection | null;
  silhouetteSample: { exact: boolean; size: number };
  pca: {
    explainedVarianceRatio: number[];
    /** Component loadings, one array per component, aligned with transform.features. */
    components: number[][];
    /** 2-D projection of every customer, [x0, y0, x1, y1, …], for the scatter chart. */
    projection: Float32Array;
  };
  segments: Segment[];
  /** Segment index of each customer, in input order. */
  labels: Int32Array;
  /** Customer ids in input order (row numbers as text when the file has no id column). */
  customerIds: string[];
  /** GMM and density details (absent for k-means). */
  methodFit?: MethodFit;
  /** `method=compare`: every method side by side; the result itself is the kept one (`comparison.kept`). */
  comparison?: MethodComparison;
}

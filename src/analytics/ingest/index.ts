export { columnByName, findColumn, numericValues } from './column-values.js';
export { detectDelimiter } from './detect-format.js';
export {
  flagValue,
  inferSchema,
  isDateText,
  isIsoDate,
  looksLikeAttributeName,
  looksLikeCustomerIdName,
  MAX_CATEGORIES,
} from './infer-schema.js';
export {
  type IngestOptions,
  ingestCsv,
  type ParsedCsv,
  type ParseOptions,
  parseCsv,
} from './ingest-csv.js';
export { isMissingToken, MISSING_TOKENS, parseNumberText } from './parse-cell.js';
export { productLabel, SANTANDER_PRODUCTS } from './product-names.js';
export {
  buildQualityReport,
  medianOf,
  type ReplacedPlaceholders,
  replacePlaceholders,
} from './quality-report.js';

/**
 * The forest kernel seen from TypeScript: it copies a forest image and blocks of customers into the
 * kernel's memory and runs its two loops (kernel/forest-kernel.wat), binning numbers and walking
 * trees. Each thread makes one instance on first use; its memory grows to the largest forest and
 * block it has seen and is reused from call to call. Results are bit-identical to the plain
 * TypeScript definitions (`numericBin`, a node-by-node walk), which the tests hold them to.
 */
import { FOREST_KERNEL_WASM } from './kernel/forest-kernel-wasm.js';

/** Node word bits, shared with the image builder in random-forest.ts and with the kernel source. */
export const NODE_ADD_ONE = 1 << 24;
export const NODE_CATEGORICAL = 1 << 25;
export const NODE_LEAF = 1 << 26;

/**
 * A forest laid out for the kernel, to sit at address 0 of its memory: nodes (8 bytes each), then
 * each node's aux word at the same stride (`auxDelta` bytes on), the categorical masks, and the
 * byte address of every tree's root.
 */
export interface ForestImage {
  bytes: Uint8Array;
  auxDelta: number;
  rootsAt: number;
  trees: number;
  /** Scores are the sum over trees (boosting), not the mean (the forest). */
  sum?: boolean;
}

// The Node typings this project builds against declare no WebAssembly values; these are the only
// parts of it used here.
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface KernelExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  bin_numeric(values: number, count: number, thresholds: number, out: number): void;
  score_block(
    roots: number,
    trees: number,
    auxDelta: number,
    block: number,
    shift: number,
    rows: number,
    sums: number,
  ): void;
}

const PAGE = 65_536;
/** Values binned per kernel call: 512 KB of input, few enough calls that their cost vanishes. */
const BIN_CHUNK = 65_536;
/** A block of customers' codes is kept to about this many bytes, so it stays in the L2 cache. */
const BLOCK_BYTES = 1 << 18;

let compiled: object | null = null;
let kernel: KernelExports | null = null;
/** The image now at address 0, so scoring the same forest again skips the copy. */
let loadedImage: ForestImage | null = null;

function instance(): KernelExports {
  compiled ??= new wasm.Module(Buffer.from(FOREST_KERNEL_WASM, 'base64'));
  kernel ??= new wasm.Instance(compiled, {}).exports as KernelExports;
  return kernel;
}

/** The kernel with at least `bytes` of memory. Growing detaches old views: make views after. */
function withMemory(bytes: number): KernelExports {
  const k = instance();
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / PAGE));
  return k;
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Bins `values` under ascending `thresholds` (at most 255) into `out`, exactly as `numericBin`
 * would one value at a time: the count of thresholds below the value, 255 for NaN.
 */
export function binNumericColumn(thresholds: ArrayLike<number>, values: Float64Array, out: Uint8Array): void {
  if (thresholds.length > 255) throw new RangeError('a numeric feature has at most 255 thresholds');
  const valuesAt = 256 * 8;
  const outAt = valuesAt + BIN_CHUNK * 8;
  const k = withMemory(outAt + BIN_CHUNK);
  loadedImage = null;
  const f64 = new Float64Array(k.memory.buffer);
  const u8 = new Uint8Array(k.memory.buffer);
  f64.fill(Number.POSITIVE_INFINITY, 0, 256);
  for (let i = 0; i < thresholds.length; i++) f64[i] = thresholds[i]!;
  for (let start = 0; start < values.length; start += BIN_CHUNK) {
    const count = Math.min(BIN_CHUNK, values.length - start);
    f64.set(values.subarray(start, start + count), valuesAt / 8);
    k.bin_numeric(valuesAt, count, 0, outAt);
    out.set(u8.subarray(outAt, outAt + count), start);
  }
}

/** Rows per block (as a power of two) for `cols` features: 4,096, fewer for very wide tables. */
function blockShift(cols: number): number {
  let shift = 12;
  while (shift > 6 && cols << shift > BLOCK_BYTES) shift--;
  return shift;
}

/**
 * Sums over trees of the leaf value each row reaches, for rows [rowStart, rowEnd) of column-major
 * codes (`codes[f * rows + i]`). Divide by the number of trees for the forest's probability.
 */
export function sumLeafValues(
  image: ForestImage,
  codes: Uint8Array,
  rows: number,
  cols: number,
  rowStart: number,
  rowEnd: number,
): Float64Array {
  const shift = blockShift(cols);
  const blockRows = 1 << shift;
  const blockAt = align8(image.bytes.length);
  const sumsAt = align8(blockAt + cols * blockRows);
  const k = withMemory(sumsAt + blockRows * 8);
  const u8 = new Uint8Array(k.memory.buffer);
  const f64 = new Float64Array(k.memory.buffer);
  if (loadedImage !== image) {
    u8.set(image.bytes, 0);
    loadedImage = image;
  }
  const out = new Float64Array(Math.max(0, rowEnd - rowStart));
  for (let start = rowStart; start < rowEnd; start += blockRows) {
    const size = Math.min(blockRows, rowEnd - start);
    for (let f = 0; f < cols; f++) {
      const from = f * rows + start;
      u8.set(codes.subarray(from, from + size), blockAt + (f << shift));
    }
    // The kernel walks four rows at a time; the few past `size` walk stale codes and are dropped.
    const walked = (size + 3) & ~3;
    f64.fill(0, sumsAt / 8, sumsAt / 8 + walked);
    k.score_block(image.rootsAt, image.trees, image.auxDelta, blockAt, shift, walked, sumsAt);
    out.set(f64.subarray(sumsAt / 8, sumsAt / 8 + size), start - rowStart);
  }
  return out;
}

/**
 * JSON columns that carry their format: each value is stored as `{"format":N,"value":…}` and checked
 * when read, so a row written by another version of segbot (or damaged) is a StoredFormatError that
 * says which value and what is wrong, instead of a crash somewhere deep inside a command. Older rows
 * are brought up to date by a migration (db/migrations), which is why a format only ever grows.
 */
import { customType } from 'drizzle-orm/sqlite-core';
import { StoredFormatError } from '../src/errors.js';
import { isRecord, type Shape, ShapeError } from '../src/json-shape.js';

/** The format a JSON column is written in, and how a read value is checked. */
export interface StoredFormat<T> {
  /** What the value is, for error messages ("run parameters"). */
  what: string;
  /** The number written as `format`; a reader accepts exactly this one. */
  version: number;
  shape: Shape<T>;
}

/** The stored text of `value` in `format`. */
export function encodeStored<T>(format: StoredFormat<T>, value: T): string {
  return JSON.stringify({ format: format.version, value });
}

/** Reads stored text back; throws StoredFormatError (never quoting the value) when it does not fit. */
export function decodeStored<T>(format: StoredFormat<T>, text: string): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw StoredFormatError.about(format.what, 'it is not valid JSON');
  }
  if (!isRecord(parsed) || typeof parsed.format !== 'number' || !('value' in parsed)) {
    throw StoredFormatError.about(
      format.what,
      'it has no format number (written before formats were recorded)',
    );
  }
  if (parsed.format !== format.version) {
    throw StoredFormatError.about(
      format.what,
      `it is in format ${parsed.format} and this version of segbot reads format ${format.version}`,
    );
  }
  try {
    return format.shape(parsed.value, '');
  } catch (error) {
    if (error instanceof ShapeError) throw StoredFormatError.about(format.what, error.message);
    throw error;
  }
}

/** A text column holding JSON in `format`, checked on every read. */
export function storedJson<T>(name: string, format: StoredFormat<T>) {
  return customType<{ data: T; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => encodeStored(format, value),
    fromDriver: (text) => decodeStored(format, text),
  })(name);
}

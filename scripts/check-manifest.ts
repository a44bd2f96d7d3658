/**
 * `npm run check:manifest`: validates manifest.yml against Slack's app manifest JSON Schema
 * (../shared/slack/manifest.schema.1.0.0.json), the same check Slack applies when an admin creates
 * the app from the file. Without the shared folder there is nothing to check against: it says so
 * and succeeds, so a fresh clone is not blocked.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifestPath = join(root, 'manifest.yml');
const schemaPath = join(root, '..', 'shared', 'slack', 'manifest.schema.1.0.0.json');

/** Slack's schema uses a non-standard `regex` keyword next to draft-07 ones; it means `pattern`. */
function createValidator(schema: object) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
  });
  return ajv.compile(schema);
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath || '(top level)';
  const extra =
    error.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `  ${where}: ${error.message ?? error.keyword}${extra}`;
}

function main(): number {
  if (!existsSync(schemaPath)) {
    process.stdout.write(
      `Skipped: ${relative(root, schemaPath)} is not here, so manifest.yml was not validated.\n`,
    );
    return 0;
  }
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { $schema?: string };
  if (schema.$schema && !schema.$schema.includes('draft-07')) {
    process.stderr.write(`The schema is ${schema.$schema}; this check understands draft-07 only.\n`);
    return 1;
  }
  let manifest: unknown;
  try {
    manifest = parse(readFileSync(manifestPath, 'utf8'));
  } catch (error) {
    process.stderr.write(`manifest.yml is not valid YAML: ${(error as Error).message}\n`);
    return 1;
  }
  const validate = createValidator(schema);
  if (!validate(manifest)) {
    process.stderr.write(`manifest.yml does not match Slack's manifest schema:\n`);
    process.stderr.write(`${(validate.errors ?? []).map(describeError).join('\n')}\n`);
    return 1;
  }
  process.stdout.write(`manifest.yml is a valid Slack app manifest (${relative(root, schemaPath)}).\n`);
  return 0;
}

process.exitCode = main();

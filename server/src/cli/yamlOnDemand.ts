/**
 * The YAML library, for the CLI's bundle: loaded the first time the core reads a YAML text, so
 * a check of JSON policies and Terraform does not load and compile it (a sixth of the bundle).
 * `scripts/bundle.mjs` gives this module to the core's `import … from 'yaml'` in the CLI's
 * bundle, and bundles the library into `cli-yaml.js` beside it. It offers what the core takes
 * of the library; a new import there fails the build until it is offered here too.
 */
import * as path from 'path';
import type * as Library from 'yaml';

let library: typeof Library | undefined;

function load(): typeof Library {
  // A path made at run time: the bundler leaves the library in its own file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (library ??= require(path.join(__dirname, 'cli-yaml.js')) as typeof Library);
}

export function parseDocument(source: string, options?: Library.ParseOptions & Library.DocumentOptions & Library.SchemaOptions): Library.Document.Parsed {
  return load().parseDocument(source, options);
}
export function isAlias(node: unknown): node is Library.Alias {
  return load().isAlias(node);
}
export function isMap(node: unknown): node is Library.YAMLMap {
  return load().isMap(node);
}
export function isPair(node: unknown): node is Library.Pair {
  return load().isPair(node);
}
export function isScalar(node: unknown): node is Library.Scalar {
  return load().isScalar(node);
}
export function isSeq(node: unknown): node is Library.YAMLSeq {
  return load().isSeq(node);
}
/** The scalar styles the core compares with (`Scalar.QUOTE_DOUBLE`…). */
export const Scalar = {
  get QUOTE_DOUBLE(): typeof Library.Scalar.QUOTE_DOUBLE { return load().Scalar.QUOTE_DOUBLE; },
  get QUOTE_SINGLE(): typeof Library.Scalar.QUOTE_SINGLE { return load().Scalar.QUOTE_SINGLE; },
};

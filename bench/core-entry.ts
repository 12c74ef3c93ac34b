/**
 * Bench-only bundle of the core (built by bench/run.mjs into dist/bench/core.js with the
 * same esbuild settings as the shipped bundles), plus jsonc-parser's parseTree as the
 * baseline the checks are compared against.
 */
import { installCatalogFiles } from '../server/src/runtime/catalogFiles';

installCatalogFiles();

export { parseTree } from 'jsonc-parser';
export { parseDocument } from 'yaml';
export { isYamlFile, mayBeYamlTemplate } from '../server/src/core/sources/registry';
export { checkText, checkDocument } from '../server/src/core/engine';
export { discover } from '../server/src/core/sources/discover';
export { parseJson } from '../server/src/core/json/jsonDocument';
export { allChecks } from '../server/src/core/checks/registry';
export { defaultCatalog, Catalog } from '../server/src/core/catalog/catalog';
export { matchesWildcard, wildcardsIntersect } from '../server/src/core/wildcard';
export { expandActionString } from '../server/src/core/model/actionNames';
export { analyzeFiles } from '../server/src/core/analyze';
export { Workspace } from '../server/src/core/workspace/workspace';
export { loadHclParser } from '../server/src/runtime/hclParser';
export { parseHcl } from '../server/src/core/sources/hcl/hclSyntax';
export { SERVER_NODE_FLAGS } from '../client/src/serverOptions';

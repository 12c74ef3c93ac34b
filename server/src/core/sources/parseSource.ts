/**
 * A file's text as a node tree, in the syntax its name and text say: YAML templates through
 * the YAML reader, everything else as JSON. YAML that is not a CloudFormation template
 * (see `mayBeYamlTemplate`) is not parsed: it has no tree and no problems.
 */
import { parseJson, type JsonDocument, type ParseLimits, DEFAULT_PARSE_LIMITS } from '../json/jsonDocument';
import { isYamlFile, mayBeYamlTemplate } from '../sourceFiles';
import { parseYaml } from '../yaml/yamlDocument';

export function parseSource(file: string, text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): JsonDocument {
  if (!isYamlFile(file, text)) return parseJson(text, limits);
  if (!mayBeYamlTemplate(text)) return { text, root: undefined, problems: [], syntax: 'yaml' };
  return parseYaml(text, limits);
}

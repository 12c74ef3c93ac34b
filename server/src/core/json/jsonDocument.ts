/**
 * One parsed text. Parsing never throws: syntax errors, oversize input and runaway nesting
 * become entries in `problems`, and `root` is whatever could be built.
 *
 * `JsonNode` (jsonc-parser's node: type, value, offset, length, colonOffset, children,
 * parent) is the one syntax-neutral tree everything after parsing reads: JSON is parsed into
 * it here, CloudFormation YAML by `yaml/yamlDocument.ts` with offsets in the YAML text.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { readStrictJson } from './strictParser';

export type JsonNode = Node;

export interface JsonProblem {
  offset: number;
  length: number;
  message: string;
  /**
   * `syntax`: malformed JSON; `limit`: the text was not parsed because of a limit; `unread`: a
   * policy of the text was not read (its Terraform HCL does not parse).
   */
  kind: 'syntax' | 'limit' | 'unread';
  /** A syntax problem that does not stop the text from being read (a YAML alias CloudFormation rejects): reported at this severity. */
  severity?: 'warning';
}

export interface JsonDocument {
  text: string;
  root: JsonNode | undefined;
  problems: JsonProblem[];
  /**
   * The text is being edited, and its tree may keep nodes of the previous edit's (see
   * `reparse`): values worked out from a node that did not change may be kept by node.
   */
  edited?: boolean;
  /** The syntax the text is written in (fixes edit in its style); JSON when absent. `hcl`: nodes built from a Terraform file. */
  syntax?: 'json' | 'yaml' | 'hcl';
  /**
   * Spaces, tabs and line breaks within the root's text (strings included), when the parser
   * counted them while reading (the strict parser does); a policy's size without whitespace.
   */
  whitespace?: number;
}

export interface ParseLimits {
  /** Deepest array/object nesting that is parsed. */
  maxDepth: number;
  /** Most statements a policy document may have and still be checked (far above what AWS accepts). */
  maxStatements?: number;
  /** Longest array inside a statement (Action, Resource, principals, condition values) that is still checked. */
  maxArrayItems?: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxDepth: 256, maxStatements: 20_000, maxArrayItems: 10_000 };

/** Linear scan for the deepest nesting, skipping strings; returns the offset where the limit was passed, or -1. */
export function findExcessiveNesting(text: string, maxDepth: number): number {
  // Nesting can be no deeper than the number of opening brackets: most texts have far fewer
  // than the limit, and counting them with indexOf is much cheaper than the scan.
  if (openingBrackets(text, maxDepth + 1) <= maxDepth) return -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return -1;
}

/** How many `{` and `[` the text holds, counted up to `stop`. */
function openingBrackets(text: string, stop: number): number {
  let n = 0;
  for (let i = text.indexOf('{'); i >= 0 && n < stop; i = text.indexOf('{', i + 1)) n++;
  for (let i = text.indexOf('['); i >= 0 && n < stop; i = text.indexOf('[', i + 1)) n++;
  return n;
}

/** How policy JSON is read: comments allowed (editors keep them), trailing commas not (AWS rejects them). */
export const JSON_PARSE_OPTIONS = { allowTrailingComma: false, disallowComments: false, allowEmptyContent: true } as const;

export function parseJson(text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): JsonDocument {
  const tooDeep = findExcessiveNesting(text, limits.maxDepth);
  if (tooDeep >= 0) {
    return {
      text,
      root: undefined,
      problems: [{ offset: tooDeep, length: 1, kind: 'limit', message: `Nesting deeper than ${limits.maxDepth} levels: the document is not checked.` }],
    };
  }
  const errors: ParseError[] = [];
  try {
    // Most texts are plain JSON, read far faster by the strict parser; jsonc-parser reads the
    // rest (comments, errors) and says what is wrong.
    const strict = readStrictJson(text);
    if (strict) return { text, root: strict.root, problems: [], whitespace: strict.whitespace };
    const root = parseTree(text, errors, JSON_PARSE_OPTIONS);
    return { text, root, problems: errors.map((e) => syntaxProblem(e)) };
  } catch (e) {
    return { text, root: undefined, problems: [{ offset: 0, length: 0, kind: 'limit', message: `The JSON could not be parsed: ${String(e)}` }] };
  }
}

/** A parser error as a problem; `base`: where the parsed text starts in the document's. */
export function syntaxProblem(e: ParseError, base = 0): JsonProblem {
  return { offset: e.offset + base, length: e.length, kind: 'syntax', message: syntaxMessage(printParseErrorCode(e.error)) };
}

function syntaxMessage(code: string): string {
  switch (code) {
    case 'InvalidSymbol': return 'Invalid symbol.';
    case 'InvalidNumberFormat': return 'Invalid number format.';
    case 'PropertyNameExpected': return 'Property name expected.';
    case 'ValueExpected': return 'Value expected.';
    case 'ColonExpected': return 'Colon expected.';
    case 'CommaExpected': return 'Comma expected.';
    case 'CloseBraceExpected': return 'Closing brace expected.';
    case 'CloseBracketExpected': return 'Closing bracket expected.';
    case 'EndOfFileExpected': return 'End of file expected.';
    case 'InvalidCommentToken': return 'Comments are not allowed.';
    case 'UnexpectedEndOfComment': return 'Unexpected end of comment.';
    case 'UnexpectedEndOfString': return 'Unterminated string.';
    case 'UnexpectedEndOfNumber': return 'Unexpected end of number.';
    case 'InvalidUnicode': return 'Invalid unicode escape.';
    case 'InvalidEscapeCharacter': return 'Invalid escape character.';
    case 'InvalidCharacter': return 'Invalid character in string.';
    default: return 'Malformed JSON.';
  }
}

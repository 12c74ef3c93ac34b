/**
 * Validates a policy document against the schema of its kind and returns the problems at
 * their nodes. Statements chosen by a CloudFormation `Fn::If` are validated one by one.
 */
import { removePropertyEdit } from '../model/valueEdits';
import type { JsonNode } from '../json/jsonDocument';
import { properties, prop, toValue } from '../json/nodes';
import { isIntrinsic, type PolicyDocument, type PolicyKind } from '../model/policyDocument';
import { policyTreeValidator, policyValidator, statementValidator } from './policySchemas';
import { schemaProblems, type MapOptions, type SchemaProblem } from './schemaErrors';

const KIND_LABELS: Record<PolicyKind, string> = {
  'kms-key-policy': 'key policy',
  'iam-identity-policy': 'identity policy',
  'iam-trust-policy': 'role trust policy',
  unknown: 'policy',
};

export function validatePolicy(doc: PolicyDocument, blockStatements?: MapOptions['blockStatements']): SchemaProblem[] {
  const options: MapOptions = {
    allowsIntrinsics: doc.allowsIntrinsics,
    kindLabel: KIND_LABELS[doc.kind],
    removeProperty: removePropertyEdit,
    ...(blockStatements ? { blockStatements } : {}),
  };
  const out: SchemaProblem[] = [];
  // Most documents are valid: the tree is read as it is, and only an invalid document (or
  // one the tree validator is unsure of) is copied for the generated validator's errors.
  if (!doc.allowsIntrinsics && policyTreeValidator(doc.kind)?.(doc.root) === true) return out;
  const validate = policyValidator(doc.kind);
  // A YAML template's plain numbers are the strings CloudFormation passes on (`AWS: 444455556666`
  // is that account): validated as such. An unquoted id that loses a leading zero is
  // invalid-principal's to report, once.
  const value = doc.json.syntax === 'yaml' ? numbersAsStrings : (n: JsonNode) => toValue(n, doc.json.edited ? keptValues : undefined);
  // The validators only read the value (no defaults, no coercion): values of kept nodes are shared.
  if (!validate(value(doc.root))) out.push(...schemaProblems(doc.root, [...(validate.errors ?? [])], options));
  if (doc.allowsIntrinsics) {
    const statement = statementValidator(doc.kind);
    const list = conditionalStatements(doc.root);
    for (let i = 0; i < list.length; i++) {
      const { node, prefix } = list[i];
      if (!statement(value(node))) out.push(...schemaProblems(node, [...(statement.errors ?? [])], { ...options, prefix }));
    }
  }
  return out;
}

/** The plain value of a node, its numbers written as strings (`444455556666` → `"444455556666"`). */
function numbersAsStrings(node: JsonNode): unknown {
  if (node.type === 'number') return String(node.value);
  if (node.type === 'object') {
    const o: Record<string, unknown> = Object.create(null);
    const ps = properties(node);
    for (let i = 0; i < ps.length; i++) o[ps[i].name] = ps[i].value ? numbersAsStrings(ps[i].value!) : undefined;
    return o;
  }
  if (node.type === 'array') return (node.children ?? []).map(numbersAsStrings);
  return node.value;
}

/** Plain values of the nodes of texts being edited (see `toValue`). */
const keptValues = new WeakMap<JsonNode, unknown>();

/** Statements inside `{"Fn::If": [condition, statement, statement]}` entries of Statement. */
function conditionalStatements(policy: JsonNode): { node: JsonNode; prefix: MapOptions['prefix'] }[] {
  const st = prop(policy, 'Statement')?.value;
  if (!st) return [];
  const out: { node: JsonNode; prefix: MapOptions['prefix'] }[] = [];
  const visit = (n: JsonNode | undefined, prefix: MapOptions['prefix'], depth: number) => {
    if (!n || n.type !== 'object' || !isIntrinsic(n) || depth > 8) return;
    const [p] = properties(n);
    if (p.name !== 'Fn::If' || p.value?.type !== 'array') return;
    const branches = p.value.children?.slice(1, 3) ?? [];
    for (let i = 0; i < branches.length; i++) {
      const branch = branches[i];
      if (branch.type !== 'object') continue;
      if (isIntrinsic(branch)) visit(branch, prefix, depth + 1);
      else out.push({ node: branch, prefix });
    }
  };
  if (st.type === 'array') (st.children ?? []).forEach((c, i) => visit(c, [{ name: 'Statement', inArray: false }, { name: String(i), inArray: true }], 0));
  else visit(st, [{ name: 'Statement', inArray: false }], 0);
  return out;
}

/**
 * SAM policy templates that grant KMS actions (`Policies: - KMSDecryptPolicy: {KeyId: …}` of
 * a serverless function or state machine). SAM expands each into one statement: Allow the
 * template's actions on
 * `{"Fn::Sub": ["arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}", {"keyId": <KeyId>}]}`,
 * a key of the stack's own account and Region. The expansion is built here as nodes over the
 * template entry (its name), so the handshake reads it as the grant it is; no check reports
 * on it, since none of its text is written in the file. The other SAM policy templates grant
 * no KMS action and are not read, like managed policy names.
 */
import type { JsonNode } from '../json/jsonDocument';
import { properties, propValue } from '../json/nodes';
import { jsonNode, link, propertyNode } from './hcl/hclValues';

/** The SAM policy templates that grant KMS actions, with the actions of their definition. */
export const SAM_KMS_POLICY_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  KMSDecryptPolicy: ['kms:Decrypt'],
  KMSEncryptPolicy: ['kms:Encrypt'],
  KMSEncryptPolicy_v2: ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:GenerateDataKeyPair', 'kms:GenerateDataKeyPairWithoutPlaintext'],
};

const KEY_ARN = 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${keyId}';

/**
 * The policy document a `Policies` entry expands to when it is a KMS policy template
 * (`{Name: {KeyId: …}}`), with its name; undefined for anything else.
 */
export function expandSamPolicyTemplate(entry: JsonNode): { name: string; root: JsonNode } | undefined {
  const [p, ...rest] = properties(entry);
  if (!p || rest.length || !Object.prototype.hasOwnProperty.call(SAM_KMS_POLICY_TEMPLATES, p.name)) return undefined;
  const at = p.key;
  const str = (value: string) => jsonNode('string', at.offset, at.length, value);
  const prop = (name: string, value: JsonNode) => propertyNode(str(name), value, at.offset, at.offset + at.length);
  const object = (props: JsonNode[], over: JsonNode = at) => link(jsonNode('object', over.offset, over.length), props);
  const array = (list: JsonNode[]) => link(jsonNode('array', at.offset, at.length), list);
  // The KeyId written in the template is the variable's value; it stays in its own tree (its parent is not changed).
  const keyId = propValue(p.value, 'KeyId');
  const vars = object([]);
  if (keyId) {
    const variable = link(jsonNode('property', at.offset, at.length), [str('keyId')]);
    (variable as { children?: JsonNode[] }).children!.push(keyId);
    link(vars, [variable]);
  }
  const resource = object([prop('Fn::Sub', array([str(KEY_ARN), vars]))]);
  const statement = object([
    prop('Effect', str('Allow')),
    prop('Action', array(SAM_KMS_POLICY_TEMPLATES[p.name].map(str))),
    prop('Resource', resource),
  ], entry);
  return { name: p.name, root: object([prop('Statement', array([statement]))], entry) };
}

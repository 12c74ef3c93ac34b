// A realistic key policy of about 30 KB (under the 32,768-byte key-policy limit): the
// account root, key administrators, and use grants for many roles in several accounts,
// with conditions. Deterministic.
const CRYPTO = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export function bigKeyPolicy(targetBytes = 30_000) {
  const owner = '111122223333';
  const statements = [
    { Sid: 'EnableIamUserPermissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${owner}:root` }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'AllowKeyAdministrators', Effect: 'Allow', Principal: { AWS: [`arn:aws:iam::${owner}:role/KeyAdmin`, `arn:aws:iam::${owner}:role/SecurityAudit`] },
      Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*', 'kms:Revoke*', 'kms:Disable*', 'kms:Get*', 'kms:Delete*', 'kms:TagResource', 'kms:UntagResource', 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'],
      Resource: '*',
    },
  ];
  const text = () => JSON.stringify({ Version: '2012-10-17', Id: 'bench-key-policy', Statement: statements }, null, 2) + '\n';
  for (let i = 0; ; i++) {
    const account = String(444455550000 + (i % 17)).padStart(12, '0');
    const s = {
      Sid: `AllowUseByWorkload${i}`,
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${account}:role/workload-${i}-app`, `arn:aws:iam::${account}:role/workload-${i}-batch`] },
      Action: i % 3 === 0 ? CRYPTO : ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: i % 2 === 0
        ? { StringEquals: { 'kms:ViaService': `s3.us-west-2.amazonaws.com`, 'kms:CallerAccount': account } }
        : { StringLike: { 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::workload-${i}-bucket/*` } },
    };
    statements.push(s);
    if (Buffer.byteLength(text()) > targetBytes) { statements.pop(); break; }
  }
  return text();
}

/** Offset of `needle` near the middle of `text` (where the edits go). */
export function middleOffset(text, needle) {
  const at = text.indexOf(needle, text.length >> 1);
  return at >= 0 ? at : text.indexOf(needle);
}

/** LSP position of an offset. */
export function positionAt(text, offset) {
  let line = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) { line++; last = i; }
  return { line, character: offset - last - 1 };
}

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { applyEdits, expectFindings } from '../../support/fixture';

const only = ['network-condition'];
const stmt = (condition: string, effect = 'Allow') =>
  `{"Version": "2012-10-17", "Statement": [{"Effect": "${effect}", "Action": "s3:GetObject", "Resource": "*", "Condition": ${condition}}]}`;

test('network-condition: aws:SourceIp with private ranges only (PRIVATE_IP_ADDRESS, PRIVATE_NOT_IP_ADDRESS)', () => {
  const r = expectFindings(stmt(`{"IpAddress": {«network-condition:"aws:SourceIp"»: ["10.0.0.0/8", "192.168.1.7", "172.20.0.0/16"]}}`), { only });
  assert.equal(r.findings[0].message, 'aws:SourceIp is never a private address: use aws:VpcSourceIp for addresses inside a VPC, or public ranges. aws:SourceIp is the public address a request comes from and holds only private ranges here, so the condition never matches.');
  assert.equal(r.findings[0].severity, 'error');
  const not = expectFindings(stmt(`{"NotIpAddress": {«network-condition:"aws:SourceIp"»: "fd12:3456::/48"}}`, 'Deny'), { only });
  assert.match(not.findings[0].message, /so the condition excludes nothing and is always true\./);
  // 172.32.0.0 is past 172.16.0.0/12; a range reaching past a private block is not private.
  expectFindings(stmt(`{"IpAddress": {"aws:SourceIp": ["172.32.0.1", "10.0.0.0/7", "203.0.113.0/24", "2001:db8::/32"]}}`), { only });
  // aws:VpcSourceIp is meant for private ranges.
  expectFindings(stmt(`{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}`), { only });
});

test('network-condition: private entries among public ones are suggestions (…_SUBSET)', () => {
  const r = expectFindings(stmt(`{"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", «network-condition:"10.1.0.0/16"»]}}`), { only });
  assert.equal(r.findings[0].message, 'aws:SourceIp is never in a private range: use aws:VpcSourceIp for addresses inside a VPC. "10.1.0.0/16" is private, and aws:SourceIp is the public address a request comes from, so this entry matches nothing.');
  assert.equal(r.findings[0].severity, 'info');
  const not = expectFindings(stmt(`{"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", «network-condition:"192.168.0.0/16"»]}}`, 'Deny'), { only });
  assert.match(not.findings[0].message, /so this entry excludes nothing\./);
});

test('network-condition: ranges with host bits set, and the fix (IMPROVE_IP_RANGE)', () => {
  const marked = stmt(`{"IpAddress": {"aws:SourceIp": [«network-condition:"203.0.113.5/24"», "198.51.100.0/24", «network-condition:"2001:db8:0:0:1::/64"»]}}`);
  const r = expectFindings(marked, { only });
  assert.equal(r.findings[0].message, 'The bits of this range after the first 24 are ignored: write 203.0.113.0/24. "203.0.113.5/24" is the range 203.0.113.0/24.');
  assert.equal(r.findings[0].severity, 'info');
  const plain = marked.replace(/«network-condition:|»/g, '');
  assert.equal(applyEdits(plain, r.findings[0].fixes![0].changes[0].edits), plain.replace('203.0.113.5/24', '203.0.113.0/24'));
  assert.equal(applyEdits(plain, r.findings[1].fixes![0].changes[0].edits), plain.replace('2001:db8:0:0:1::/64', '2001:db8::/64'));
  // Single addresses and clean ranges are fine.
  expectFindings(stmt(`{"NotIpAddress": {"aws:SourceIp": ["203.0.113.5", "203.0.113.5/32", "0.0.0.0/0", "::/0", "2001:db8::/32"]}}`, 'Deny'), { only });
});

test('network-condition: VPC and VPC endpoint ids (INVALID_VPC_FORMAT, INVALID_VPCE_FORMAT)', () => {
  const r = expectFindings(stmt(`{"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-0123456789abcdef0", «network-condition:"vpc-123"», «network-condition:"subnet-1a2b3c4d"»],
    "aws:SourceVpce": [«network-condition:"vpc-1a2b3c4d"», "vpce-1a2b3c4d"]}}`), { only });
  assert.equal(r.findings[0].message, 'This is not a VPC id: write "vpc-" followed by 8 or 17 letters and digits (vpc-1a2b3c4d). aws:SourceVpc never matches "vpc-123".');
  assert.equal(r.findings[0].severity, 'error');
  assert.match(r.findings[2].message, /^This is not a VPC endpoint id: write "vpce-" .* aws:SourceVpce never matches "vpc-1a2b3c4d"\.$/);
  // Wildcards and variables are not judged.
  expectFindings(stmt(`{"StringLike": {"aws:SourceVpc": "vpc-*", "aws:SourceVpce": "\${aws:PrincipalTag/vpce}"}}`), { only });
});

test('network-condition: aws:VpcSourceIp without aws:SourceVpc (MISSING_PAIRED_CONDITION_KEYS)', () => {
  const r = expectFindings(stmt(`{"IpAddress": {«network-condition:"aws:VpcSourceIp"»: "10.0.0.0/16"}}`), { only });
  assert.equal(r.findings[0].message, 'aws:VpcSourceIp alone matches the address in any VPC: add aws:SourceVpc with your VPC\'s id to the same condition. Private ranges repeat from VPC to VPC, other accounts\' included.');
  assert.equal(r.findings[0].severity, 'warning');
  expectFindings(stmt(`{"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}`), { only });
});

test('network-condition: bad values are left to condition-value-type', () => {
  expectFindings(stmt(`{"IpAddress": {"aws:SourceIp": ["not an ip", 12, {"Ref": "Cidr"}, "10.0.0.0/33"]}, "StringEquals": {"aws:SourceVpc": [null, 3]}}`), { only });
});

import { test } from 'node:test';
import { expectFindings } from '../../support/fixture';
import { getKeyPolicyOutput } from './kmsPolicies';

const only = ['unique-id-principal'];

test('unique-id-principal: ARNs, account ids and service principals are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "111122223333", "arn:aws:iam::111122223333:role/AROAEXAMPLE"]}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"Service": "AROAJQABLZS4A3QDU576Q"}, "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('unique-id-principal: role and user unique ids', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": [«unique-id-principal:"AROAJQABLZS4A3QDU576Q"», "arn:aws:iam::111122223333:role/App", «unique-id-principal:"AIDAJQABLZS4A3QDU576Q"»]},
   "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('unique-id-principal: in a trust policy, in NotPrincipal, and in get-key-policy output', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": «unique-id-principal:"AROAJQABLZS4A3QDU576Q"»}, "Action": "sts:AssumeRole"},
  {"Effect": "Deny", "NotPrincipal": {"AWS": «unique-id-principal:"AIDAJQABLZS4A3QDU576Q"»}, "Action": "sts:AssumeRole"}]}`, { only });
  const text = getKeyPolicyOutput(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", "Principal": {"AWS": "AROAJQABLZS4A3QDU576Q"}, "Action": "kms:Decrypt", "Resource": "*"}]}`);
  const at = text.indexOf('\\"AROAJQABLZS4A3QDU576Q\\"');
  const marked = `${text.slice(0, at)}«unique-id-principal:${text.slice(at, at + 25)}»${text.slice(at + 25)}`;
  expectFindings(marked, { only, file: 'key.json' });
});

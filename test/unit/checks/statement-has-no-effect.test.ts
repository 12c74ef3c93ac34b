import { test } from 'node:test';
import { expectFindings } from '../../support/fixture';

const only = ['statement-has-no-effect'];

test('statement-has-no-effect: Action/NotAction with Resource/NotResource are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Deny", "Principal": "*", "NotAction": "kms:Decrypt", "NotResource": "arn:aws:kms:us-east-1:111122223333:key/x"}]}`, { only });
});

test('statement-has-no-effect: missing Resource (on the Sid), missing Action (on the statement)', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Sid": «statement-has-no-effect:"UseKey"», "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": "kms:Decrypt"},
  «statement-has-no-effect:{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Resource": "*"}»]}`, { only });
});

test('statement-has-no-effect: identity policies are left to the schema check', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}`, { only });
});

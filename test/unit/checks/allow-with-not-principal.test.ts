import { test } from 'node:test';
import { expectFindings } from '../../support/fixture';

const only = ['allow-with-not-principal'];

test('allow-with-not-principal: Deny with NotPrincipal and Allow with Principal are fine', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:role/Admin"}, "Action": "kms:ScheduleKeyDeletion", "Resource": "*"}]}`, { only });
});

test('allow-with-not-principal: Allow with NotPrincipal, reported on the key', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
  {"Effect": "Allow", «allow-with-not-principal:"NotPrincipal"»: {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt", "Resource": "*"}]}`, { only });
});

test('allow-with-not-principal: in a single Statement object of a trust policy', () => {
  expectFindings(`{"Version": "2012-10-17", "Statement":
  {"Effect": "Allow", «allow-with-not-principal:"NotPrincipal"»: {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}`, { only });
});

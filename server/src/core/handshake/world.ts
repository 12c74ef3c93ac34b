/**
 * What the handshake analysis needs to know about the rest of the workspace. The workspace
 * model implements it; the analysis itself stays pure and never reads files.
 */
import type { Catalog } from '../catalog/catalog';
import type { PolicyDocument } from '../model/policyDocument';
import type { TemplateContext } from '../model/templateValues';
import type { DeclaredPrincipal } from '../sources/discoveredFile';
import type { JsonDocument } from '../json/jsonDocument';

/** The IAM data the workspace holds for one account. */
export interface AccountIam {
  account: string;
  /** Whether the workspace has IAM data for the account (identity policies or known principals). */
  described: boolean;
  /** Roles, users and groups of the account known in the workspace, sorted. */
  principals: string[];
  /** The roles and users among them (what a key policy can name), sorted. */
  rolesAndUsers: string[];
  /** Roles and users with a permissions boundary (an export says so; the handshake does not evaluate it), sorted. */
  bounded: string[];
  /** The kinds of principal of which `principals` holds every one (an authorization-details export lists them, or a manifest says so). */
  completeKinds: ('role' | 'user')[];
  /** Those of them complete only by a manifest's word (`accounts.<id>.complete`), not by an export. */
  declaredOnlyKinds: ('role' | 'user')[];
  /** Identity policies of the account (attached to its principals, or owned by it). */
  documents: PolicyDocument[];
  /** Number of files those come from. */
  files: number;
}

export interface HandshakeWorld {
  readonly catalog: Catalog;
  /**
   * The account's name from the manifests: the one that governs `file` (the file a finding is
   * reported in, a hover shown in) names it, else the nearest manifest above that does, else the
   * first other manifest by path. Without `file`, the first manifest by path that names it.
   */
  accountName(id: string, file?: string): string | undefined;
  accountIam(account: string): AccountIam;
  /** Key-policy documents of keys that belong to the account. */
  keyPolicies(account: string): PolicyDocument[];
  /** Key-policy documents of the key with this exact ARN, and of its account's keys whose ARN is not known. */
  keyPoliciesFor(arn: string): PolicyDocument[];
  /** Template values (account, region, parameters) the manifest gives for a file. */
  templateContext(file: string): TemplateContext | undefined;
  /** A value computed from a document and the rest of the workspace, kept until the document's file is invalidated. */
  memo<T>(doc: PolicyDocument, key: string, compute: () => T): T;
  /** A value computed from an account's IAM data, kept until that data changes. */
  accountMemo<T>(account: string, key: string, compute: () => T): T;
  /** The manifest that applies to a file, if any: its path and its folder. */
  manifestFor(file: string): { path: string; root: string } | undefined;
  /** Text of a file in the workspace. */
  text(file: string): string | undefined;
  /** The line (0-based) of an offset of a file's content, without reading it again where the workspace keeps its lines. */
  lineOf(file: string, offset: number): number | undefined;
  /**
   * Records that findings of `file` show how much of the account was searched (numbers of
   * policies, files, a principal's policy files): they change when those numbers do.
   */
  readsAccountSummary(file: string, account: string): void;
  /** Identity-policy files bound to a principal by the manifest (folder-relative paths as written). */
  principalPolicyGlobs(principal: string): string[] | undefined;
  /**
   * The template (CloudFormation, Terraform configuration or plan) that declares the role or
   * user, if any: its policies are what the template deploys, not policy files the manifest
   * binds to it. With the resource that declares it, where the template names it by a known ARN.
   */
  principalTemplate(principal: string): DeclaringTemplate | undefined;
  /** The principals the manifests bind a policy file at this path to (it need not exist). */
  principalsBoundTo(file: string): string[];
  /** Accounts that have key policies in the workspace, sorted. */
  keyAccounts(): string[];
  /**
   * The organization the manifest governing the file describes: its id and, by member
   * account, the OU path as `aws:PrincipalOrgPaths` writes it (`o-…/r-…/ou-…/`).
   */
  organizationFor(file: string): Organization | undefined;
  /**
   * The accounts the manifest governing the file lists in `trustedAccounts`; undefined when
   * it has none (no allowlist). The organization's members and the key's own account are
   * trusted as well (see the access-outside-trusted-accounts check).
   */
  trustedAccountsFor(file: string): Set<string> | undefined;
}

/** A template that declares a role or user (see `HandshakeWorld.principalTemplate`). */
export interface DeclaringTemplate {
  file: string;
  shape: 'cloudformation' | 'terraform' | 'terraform-plan';
  /** The resource that declares it; undefined when the template only names it (a plan, a policy of a role named by a literal). */
  declared?: DeclaredPrincipal;
  /** The template as read, with `declared` (CloudFormation: the tree a fix edits). */
  json?: JsonDocument;
}

/** The organization a manifest describes (the condition evaluator reads it as `OrganizationFacts`). */
export interface Organization {
  id: string;
  /** Member account id → OU path (`o-…/r-…/ou-…/`). */
  accounts: Map<string, string>;
}

/** `workloads (444455556666)` or the bare id; the name as the manifest governing `file` (where the label is shown) gives it. */
export function accountLabel(world: HandshakeWorld, id: string, file: string): string {
  const name = world.accountName(id, file);
  return name ? `${name} (${id})` : id;
}

/** `role/AppReader` for messages (the ARN's resource part). */
export function principalLabel(arn: string): string {
  const parts = arn.split(':');
  return parts.length >= 6 ? parts.slice(5).join(':') : arn;
}

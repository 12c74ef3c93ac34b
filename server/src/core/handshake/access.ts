/**
 * Access as the handshake works it out: for one caller and one action, whether it is allowed
 * in each request context (`callerConditions.ts`), and how that reads in messages ("only
 * through s3.us-west-2.amazonaws.com", "conditional on kms:EncryptionContext:…").
 */
import type { Statement } from '../model/policyDocument';
import type { TemplateContext } from '../model/templateValues';
import { sessionsLabel } from './keyPolicyTrusts';
import { and3, conditionOutcome, FALSE, GRANT_OPERATIONS, not3, or3, TRUE, UNKNOWN, type Caller, type ConditionOutcome, type RequestContexts, type Tri } from './callerConditions';

/** Whether something holds, per request context (same order as the contexts). */
export type Vector = Tri[];

// Plain loops: these run for every action of every trust the handshake decides.
export function allFalse(v: Vector): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== FALSE) return false;
  return true;
}

export function andV(a: Vector, b: Vector): Vector {
  const out: Tri[] = [];
  for (let i = 0; i < a.length; i++) out.push(and3(a[i], b[i]));
  return out;
}

export function orV(a: Vector, b: Vector): Vector {
  const out: Tri[] = [];
  for (let i = 0; i < a.length; i++) out.push(or3(a[i], b[i]));
  return out;
}

export function notV(a: Vector): Vector {
  const out: Tri[] = [];
  for (let i = 0; i < a.length; i++) out.push(not3(a[i]));
  return out;
}

export function constant(n: number, v: Tri): Vector {
  return new Array<Tri>(n).fill(v);
}

/** What a vector of "allowed" means for the caller. */
export interface AccessShape {
  /** Allowed for sure in some context. */
  certain: boolean;
  /** Only through these services (`kms:ViaService` values, or "an AWS service"); undefined when direct calls are allowed or may be. */
  via?: string[];
  /** Only the role's sessions of these names (the key policy names an assumed-role session, not the role): never certain. */
  sessions?: string[];
  /** Files with an identity-policy statement that may deny it (one not known, a Deny that may name the key): never certain. */
  mayDeny?: string[];
}

export function accessShape(v: Vector, contexts: RequestContexts): AccessShape {
  // Direct calls allowed for sure: no qualifier. Perhaps allowed: conditional.
  if (v[0] === TRUE) return { certain: true };
  if (v[0] === UNKNOWN) return { certain: false };
  const last = v.length - 1;
  const certain = v.some((x) => x === TRUE);
  if (v[last] !== FALSE) return { certain, via: [contexts.labels[last]] };
  const via: string[] = [];
  for (let i = 1; i < last; i++) if (v[i] !== FALSE) via.push(contexts.labels[i]);
  return { certain, via };
}

/** `only through s3.us-west-2.amazonaws.com` */
export function viaLabel(via: string[] | undefined): string {
  if (!via?.length) return '';
  return `only through ${via.length === 1 ? via[0] : `${via.slice(0, -1).join(', ')} or ${via[via.length - 1]}`}`;
}

/** How one side lets an action be used: `only through s3.us-west-2.amazonaws.com`, on direct calls, or when its conditions hold. */
export function useLabel(s: AccessShape): string {
  return s.via?.length ? viaLabel(s.via) : s.certain ? 'on direct calls' : 'when its conditions hold';
}

/** Actions grouped by how they can be used (directly or only through services; for certain or not), in the order met; actions without a shape are one group. */
export function groupByShape(actions: Iterable<string>, shapes: ReadonlyMap<string, AccessShape> | undefined): { shape: AccessShape | undefined; actions: Set<string> }[] {
  const groups = new Map<string, { shape: AccessShape | undefined; actions: Set<string> }>();
  for (const a of actions) {
    const shape = shapes?.get(a);
    const signature = shape ? `${shape.certain}|${shape.via?.join(',') ?? ''}|${shape.sessions?.join(',') ?? ''}|${shape.mayDeny?.join(',') ?? ''}` : '';
    let g = groups.get(signature);
    if (!g) groups.set(signature, (g = { shape, actions: new Set() }));
    g.actions.add(a);
  }
  return [...groups.values()];
}

/** What qualifies a way of use: `only through s3.…`, `only sessions named alice`, `when the conditions hold`; nothing for direct use for certain. */
export function shapeQualifiers(shape: AccessShape | undefined): string[] {
  const out: string[] = [];
  if (shape?.via?.length) out.push(viaLabel(shape.via));
  if (shape?.sessions?.length) out.push(sessionsLabel(shape.sessions));
  else if (shape?.mayDeny?.length) out.push(mayDenyLabel(shape.mayDeny));
  else if (shape && !shape.certain) out.push('when the conditions hold');
  return out;
}

/** `unless workloads/roles.tf denies it` */
export function mayDenyLabel(files: string[]): string {
  return `unless ${files.length === 1 ? files[0] : `${files.slice(0, -1).join(', ')} or ${files[files.length - 1]}`} denies it`;
}

/**
 * Condition outcomes of statements for callers, worked out once per statement, caller and
 * kind of action within one analysis.
 */
export class ConditionMemo {
  private readonly memo = new Map<Statement, Map<string, ConditionOutcome>>();

  constructor(readonly contexts: RequestContexts) {}

  outcome(s: Statement, caller: Caller, action: string, ctx: TemplateContext | undefined): ConditionOutcome {
    if (!s.elements.Condition) return this.always;
    const grant = GRANT_OPERATIONS.has(action);
    const key = `${grant ? 'g' : 'a'}|${caller.account}|${caller.arn ?? ''}`;
    let byCaller = this.memo.get(s);
    if (!byCaller) this.memo.set(s, (byCaller = new Map()));
    let o = byCaller.get(key);
    if (!o) byCaller.set(key, (o = conditionOutcome(s, caller, this.contexts, grant, ctx)));
    return o;
  }

  private get always(): ConditionOutcome {
    return (this.alwaysOutcome ??= { holds: constant(this.contexts.via.length, TRUE), undecided: [], decidedFalse: [] });
  }

  private alwaysOutcome: ConditionOutcome | undefined;

  get size(): number {
    return this.contexts.via.length;
  }
}

export { FALSE, TRUE, UNKNOWN };

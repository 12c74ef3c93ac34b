import type { Check, CheckContext } from './check';
import { statementConditions, type ConditionEntry } from '../model/conditions';
import { isPrivateRange, networkText, parseIpRange } from '../model/ipRanges';
import type { ValueItem } from '../model/policyDocument';

/** The VPC and VPC endpoint keys and the id prefix their values take. */
const VPC_KEYS = new Map([['aws:sourcevpc', 'vpc'], ['aws:sourcevpce', 'vpce']]);

/** `vpc-` or `vpce-` and 8 or 17 letters and digits (`vpc-1a2b3c4d`, `vpce-0123456789abcdef0`). */
function isVpcId(value: string, prefix: string): boolean {
  if (!value.startsWith(`${prefix}-`)) return false;
  const id = value.slice(prefix.length + 1);
  return (id.length === 8 || id.length === 17) && /^[0-9a-zA-Z]+$/.test(id);
}

/** A value to judge: a plain string without wildcards or policy variables. */
function literal(item: ValueItem): string | undefined {
  const v = item.value;
  return v === undefined || /[*?]|\$\{/.test(v) ? undefined : v;
}

function checkSourceIp(ctx: CheckContext, c: ConditionEntry): void {
  const ranges = c.values.map((item) => ({ item, range: item.value === undefined ? undefined : parseIpRange(item.value) }));
  for (let i = 0; i < ranges.length; i++) {
    const { item, range } = ranges[i];
    const network = range && networkText(range);
    if (!network) continue;
    ctx.report(item.node, `The bits of this range after the first ${range.prefix} are ignored: write ${network}. "${item.value}" is the range ${network}.`, {
      severity: 'info',
      fixes: [{ title: `Replace with ${network}`, id: 'ip-network-address', isPreferred: true, edits: [{ offset: item.node.offset, length: item.node.length, newText: JSON.stringify(network) }] }],
    });
  }
  if (c.key.toLowerCase() !== 'aws:sourceip') return;
  const known = ranges.filter((r) => r.range !== undefined);
  const privates = known.filter((r) => isPrivateRange(r.range!));
  if (privates.length === 0) return;
  const not = c.operator.base === 'NotIpAddress';
  if (privates.length === known.length && known.length === c.values.length) {
    const effect = not ? 'so the condition excludes nothing and is always true' : 'so the condition never matches';
    ctx.report(c.keyNode, `${c.key} is never a private address: use aws:VpcSourceIp for addresses inside a VPC, or public ranges. ${c.key} is the public address a request comes from and holds only private ranges here, ${effect}.`, { severity: 'error' });
    return;
  }
  for (let i = 0; i < privates.length; i++) {
    const { item } = privates[i];
    ctx.report(item.node, `aws:SourceIp is never in a private range: use aws:VpcSourceIp for addresses inside a VPC. "${item.value}" is private, and aws:SourceIp is the public address a request comes from, so this entry ${not ? 'excludes' : 'matches'} nothing.`, { severity: 'info' });
  }
}

/**
 * Network conditions that do not work as written: aws:SourceIp compared with private ranges
 * (a request's public source address is never private), ranges with host bits set, VPC and VPC
 * endpoint ids of the wrong form in aws:SourceVpc/aws:SourceVpce, and aws:VpcSourceIp without
 * aws:SourceVpc (the same private address exists in every VPC).
 */
export const networkCondition: Check = {
  id: 'network-condition',
  defaultSeverity: 'error',
  summary: 'aws:SourceIp with private ranges, ranges with host bits, malformed VPC ids, aws:VpcSourceIp without aws:SourceVpc',
  statementLocal: true,
  run(ctx) {
    for (let k = 0; k < ctx.statements.length; k++) {
      const s = ctx.statements[k];
      const entries = statementConditions(s);
      if (entries.length === 0) continue;
      let vpcSourceIp: ConditionEntry | undefined;
      let sourceVpc = false;
      for (let j = 0; j < entries.length; j++) {
        const c = entries[j];
        const key = c.key.toLowerCase();
        if (key === 'aws:vpcsourceip') vpcSourceIp ??= c;
        if (key === 'aws:sourcevpc') sourceVpc = true;
        if (c.operator.base === 'IpAddress' || c.operator.base === 'NotIpAddress') checkSourceIp(ctx, c);
        const prefix = VPC_KEYS.get(key);
        if (prefix && c.operator.base?.startsWith('String')) {
          for (let i = 0; i < c.values.length; i++) {
            const item = c.values[i];
            const v = literal(item);
            if (v === undefined || isVpcId(v, prefix)) continue;
            ctx.report(item.node, `This is not a ${prefix === 'vpc' ? 'VPC' : 'VPC endpoint'} id: write "${prefix}-" followed by 8 or 17 letters and digits (${prefix}-1a2b3c4d). ${c.key} never matches "${v}".`);
          }
        }
      }
      if (vpcSourceIp && !sourceVpc) {
        ctx.report(vpcSourceIp.keyNode, `${vpcSourceIp.key} alone matches the address in any VPC: add aws:SourceVpc with your VPC's id to the same condition. Private ranges repeat from VPC to VPC, other accounts' included.`, { severity: 'warning' });
      }
    }
  },
};

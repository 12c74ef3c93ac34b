/**
 * The member users of IAM groups, as a source reads its memberships (an export's `GroupList`,
 * Terraform's group memberships, a template's users' `Groups`). A group never makes a request:
 * its policies are its members'.
 */
export class GroupMembers {
  private readonly members = new Map<string, string[]>();

  /** Records a membership; a group or user not known is left out. */
  add(group: string | undefined, user: string | undefined): void {
    if (!group || !user) return;
    const list = this.members.get(group);
    if (list) list.push(user);
    else this.members.set(group, [user]);
  }

  of(group: string): readonly string[] {
    return this.members.get(group) ?? [];
  }

  /** The principals with the member users of the groups among them (each once). */
  with(principals: string[]): string[] {
    return this.members.size ? [...new Set(principals.flatMap((p) => [p, ...this.of(p)]))] : principals;
  }
}

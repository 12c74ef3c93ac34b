/** Where each check's documentation page lives (docs/checks/<id>.md in the repository). */
export const REPOSITORY_URL = 'https://github.com/policy-handshake/policy-handshake';

export function checkDocsUrl(checkId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/checks/${checkId}.md`;
}

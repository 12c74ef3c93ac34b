/**
 * `npm run conformance`: runs every suite over the whole corpus (all AWS managed policies
 * included), prints the summary table and writes test/conformance/results.md.
 * `--quick` checks only the managed policies Access Analyzer reported on; `--suite <id>` limits the run.
 */
import '../support/catalogData';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conformanceCorpusMissing, runConformance } from './conformance';
import { conformanceDir, loadDisagreements, loadMappings } from './data';
import { markdownReport, problems, summarize, textTable } from './report';
import { loadHclParser } from '../../server/src/runtime/hclParser';

function main(argv: string[]): number {
  const missing = conformanceCorpusMissing();
  if (missing) {
    console.error(missing);
    return 2;
  }
  const full = !argv.includes('--quick');
  const suites = argv.flatMap((a, i) => (a === '--suite' && argv[i + 1] ? [argv[i + 1]] : []));
  const results = runConformance({ full, suites: suites.length ? suites : undefined });
  console.log(textTable(results.map(summarize)));
  const disagreements = loadDisagreements();
  if (full && !suites.length) {
    const file = path.join(conformanceDir, 'results.md');
    fs.writeFileSync(file, markdownReport(results, loadMappings().notRun, disagreements));
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  }
  const open = problems(results, disagreements, full && !suites.length);
  if (open.length) {
    console.log(`\n${open.length} unexplained difference(s):`);
    for (const p of open) console.log(`  ${p}`);
  }
  return open.length ? 1 : 0;
}

// Terraform cases need the HCL parser, which loads asynchronously (as in the CLI and the server).
void loadHclParser().then(() => { process.exitCode = main(process.argv.slice(2)); });

import { readFileSync } from 'node:fs';

/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [top]`: self time by function and by package,
 * to find the largest costs of a profile written with BENCH_PROFILE_DIR.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
}

const [file, topText] = process.argv.slice(2);
if (!file) {
  throw new TypeError('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
}
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const counts = new Map<number, number>();
for (const id of profile.samples) {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = counts.get(node.id) ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^.*\/work\/main\//, '');
  const name = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    (where.split('/').slice(0, 2).join('/') || functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + hits);
}

const total = profile.samples.length;
const show = (title: string, table: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, hits] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
};
show('self time by package or folder', byPackage);
show('self time by function', byFunction);

import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, posix } from 'node:path';
import { z } from 'zod';
import { CasebookError, errorMessage } from '../errors.js';
import { BUNDLE_MANIFEST, SUMS } from './bundle.js';
import { sha256, sha256File } from './hash.js';

export type FileStatus = 'ok' | 'changed' | 'missing' | 'added';

export interface VerifyEntry {
  path: string;
  status: FileStatus;
  /** Why, when it is not just the hash (not a regular file, a path outside the bundle, ...). */
  detail?: string;
}

export interface VerifyResult {
  dir: string;
  /** SHA-256 of manifest.json as found: compare with the value recorded when the bundle was made. */
  manifestSha256: string;
  entries: VerifyEntry[];
  intact: boolean;
  report: { name: string; title: string; period: string; generatedAt: string; status: string; failedSections: string[] };
}

const Hex = z.string().regex(/^[0-9a-f]{64}$/);
const ManifestSchema = z
  .object({
    format: z.string().startsWith('casebook-evidence-bundle/'),
    report: z.object({ name: z.string(), title: z.string() }).passthrough(),
    period: z.object({ spec: z.string() }).passthrough(),
    generatedAt: z.string(),
    status: z.string(),
    sections: z.array(z.object({ query: z.string(), status: z.string() }).passthrough()),
    files: z.record(z.string(), z.object({ sha256: Hex, bytes: z.number() }).passthrough()),
  })
  .passthrough();

/** A directory that is not a bundle at all (no manifest, or not ours): nothing to verify against. */
export class NotABundleError extends CasebookError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

/** Relative paths of everything under dir (files and anything that is not a directory), POSIX-style, sorted. */
function walk(dir: string, prefix = ''): { path: string; regular: boolean }[] {
  const out: { path: string; regular: boolean }[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(join(dir, name));
    if (st.isDirectory()) out.push(...walk(join(dir, name), rel));
    else out.push({ path: rel, regular: st.isFile() });
  }
  return out;
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function safePath(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.includes('\\') && posix.normalize(p) === p && !p.split('/').includes('..');
}

/**
 * Re-hash a bundle against its manifest: every listed file must exist with the same
 * SHA-256, nothing may have been added, and SHA256SUMS must agree with manifest.json.
 */
export async function verifyBundle(dir: string): Promise<VerifyResult> {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) throw new NotABundleError(`${dir} is not a directory`);
  const manifestFile = join(dir, BUNDLE_MANIFEST);
  if (!existsSync(manifestFile) && !isSymlink(manifestFile))
    throw new NotABundleError(
      `${dir} has no ${BUNDLE_MANIFEST}: it is not a casebook evidence bundle, so there is nothing to verify it against`,
    );
  // The manifest is the bundle's own file: a link (possibly to a manifest elsewhere) is refused.
  if (!lstatSync(manifestFile).isFile()) {
    throw new CasebookError(
      `${manifestFile} is not a regular file (a symbolic link or other); casebook writes it as a file, so the bundle cannot be trusted`,
    );
  }
  const manifestBytes = readFileSync(manifestFile);
  let raw: unknown;
  try {
    raw = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    // The parser's message quotes the text; only its position is shown.
    const where = /position \d+/.exec(errorMessage(err))?.[0];
    throw new NotABundleError(
      `${manifestFile} is not valid JSON${where ? ` (at ${where})` : ''}: the manifest is damaged, so the bundle cannot be verified`,
    );
  }
  const parsed = ManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new NotABundleError(`${manifestFile} is not a casebook manifest (${issue.path.join('.') || 'top'}: ${issue.message})`);
  }
  const m = parsed.data;
  const manifestSha256 = sha256(manifestBytes);
  const entries: VerifyEntry[] = [];
  const present = new Map(walk(dir).map((f) => [f.path, f.regular]));
  const listed = Object.keys(m.files).sort();
  for (const path of listed) {
    if (!safePath(path)) {
      entries.push({ path, status: 'changed', detail: 'the manifest names a path outside the bundle' });
      continue;
    }
    const regular = present.get(path);
    if (regular === undefined) entries.push({ path, status: 'missing' });
    else if (!regular) entries.push({ path, status: 'changed', detail: 'no longer a regular file' });
    else {
      const actual = await sha256File(join(dir, path));
      entries.push(actual === m.files[path]!.sha256 ? { path, status: 'ok' } : { path, status: 'changed' });
    }
  }
  // SHA256SUMS: exactly what casebook wrote for these hashes and this manifest.
  const expectedSums = [...listed, BUNDLE_MANIFEST]
    .sort()
    .map((p) => `${p === BUNDLE_MANIFEST ? manifestSha256 : m.files[p]!.sha256}  ${p}\n`)
    .join('');
  const sumsRegular = present.get(SUMS);
  if (sumsRegular === undefined) entries.push({ path: SUMS, status: 'missing' });
  else if (!sumsRegular) entries.push({ path: SUMS, status: 'changed', detail: 'not a regular file' });
  else if (readFileSync(join(dir, SUMS), 'utf8') !== expectedSums) {
    entries.push({ path: SUMS, status: 'changed', detail: `disagrees with ${BUNDLE_MANIFEST}: one of them was edited` });
  } else entries.push({ path: SUMS, status: 'ok' });
  const known = new Set([...listed, BUNDLE_MANIFEST, SUMS]);
  for (const [path, regular] of present) {
    if (!known.has(path)) entries.push({ path, status: 'added', detail: regular ? undefined : 'not a regular file' });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    dir,
    manifestSha256,
    entries,
    intact: entries.every((e) => e.status === 'ok'),
    report: {
      name: m.report.name,
      title: m.report.title,
      period: m.period.spec,
      generatedAt: m.generatedAt,
      status: m.status,
      failedSections: m.sections.filter((s) => s.status !== 'ok').map((s) => s.query),
    },
  };
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The README's command lines, as a shell would split them (test/readme-examples.test.ts runs them). */
export const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
const AWS_MARK = /#\s*needs AWS\b/;

export interface ReadmeCommand {
  /** The command as written (continuations joined, comment kept). */
  text: string;
  argv: string[];
  /** `> FILE`: stdout goes to this file. */
  redirect?: string;
  needsAws: boolean;
}

/** Shell words of one command line: quotes, backslash escapes, `> FILE`, a trailing `# comment`. */
export function shellWords(line: string): { words: string[]; redirect?: string; comment?: string } {
  const words: string[] = [];
  let cur: string | undefined;
  let redirect: string | undefined;
  let wantRedirect = false;
  let i = 0;
  const push = () => {
    if (cur === undefined) return;
    if (wantRedirect) {
      redirect = cur;
      wantRedirect = false;
    } else words.push(cur);
    cur = undefined;
  };
  while (i < line.length) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quote in: ${line}`);
      cur = (cur ?? '') + line.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        s += line[j];
        j++;
      }
      if (j >= line.length) throw new Error(`unterminated quote in: ${line}`);
      cur = (cur ?? '') + s;
      i = j + 1;
    } else if (c === '\\' && i + 1 < line.length) {
      cur = (cur ?? '') + line[i + 1];
      i += 2;
    } else if (/\s/.test(c)) {
      push();
      i++;
    } else if (c === '#' && cur === undefined) {
      return { words, redirect, comment: line.slice(i) };
    } else if (c === '>' && cur === undefined) {
      wantRedirect = true;
      i++;
    } else if (c === '|' || c === ';' || c === '&' || c === '<' || c === '$' || c === '`') {
      throw new Error(`the README command uses shell syntax this test does not run (${c}): ${line}`);
    } else {
      cur = (cur ?? '') + c;
      i++;
    }
  }
  push();
  return { words, redirect };
}

/** The casebook command lines of the README's ```sh blocks, in order. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  const blocks = markdown.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```/gm);
  for (const [, body] of blocks) {
    const lines = body!.split('\n');
    for (let i = 0; i < lines.length; i++) {
      let text = lines[i]!;
      while (/\\\s*$/.test(text) && i + 1 < lines.length) text = `${text.replace(/\\\s*$/, '')} ${lines[++i]!.trim()}`;
      const trimmed = text.trim();
      if (!/^(npx )?casebook\s/.test(trimmed)) continue;
      const { words, redirect, comment } = shellWords(trimmed);
      const argv = words[0] === 'npx' ? words.slice(2) : words.slice(1);
      out.push({ text: trimmed, argv, redirect, needsAws: AWS_MARK.test(comment ?? '') });
    }
  }
  return out;
}

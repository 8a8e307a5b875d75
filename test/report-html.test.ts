/**
 * The page as a browser shows it: index.html opened in headless Chromium (Debian's
 * `chromium` package; .ci/run installs it), its DOM dumped and a screenshot taken.
 * Without a browser the test is skipped with one line on stderr saying so; with
 * CASEBOOK_REQUIRE_BROWSER=1 (as .ci/run sets) a missing browser fails it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { cli } from './support/cli.js';
import { tempDir } from './support/harness.js';
import { browserGate } from './support/browser.js';
import { FIXTURE_PERIOD, writeFixtureLake, writeFixtureReport } from './report-fixture.js';

const run = promisify(execFile);
const gate = browserGate();
const CHROMIUM = gate.path ?? 'chromium';
if (!gate.run) process.stderr.write(`casebook tests: ${gate.reason}\n`);

async function chromium(args: string[], profile: string): Promise<string> {
  const { stdout } = await run(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      // No network at all: anything the page tried to fetch would fail.
      '--proxy-server=127.0.0.1:9',
      '--proxy-bypass-list=<-loopback>',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

/** Decode an 8-bit RGB(A), non-interlaced PNG (what Chromium writes) into pixels. */
function decodePng(buf: Buffer): { width: number; height: number; channels: number; pixels: Buffer } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.subarray(pos + 4, pos + 8).toString('latin1');
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], 'bit depth').toBe(8);
      expect(data[12], 'interlace').toBe(0);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels, 'colour type').toBeGreaterThan(0);
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      pixels[y * stride + x] = v & 0xff;
    }
  }
  return { width, height, channels, pixels };
}

function countColour(png: ReturnType<typeof decodePng>, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let i = 0; i < png.pixels.length; i += png.channels) {
    if (png.pixels[i] === r && png.pixels[i + 1] === g && png.pixels[i + 2] === b) n++;
  }
  return n;
}

describe.skipIf(!gate.run)('the report page in headless Chromium', () => {
  const tmp = tempDir('casebook-html-');
  const bundle = join(tmp.dir, 'bundle');
  let url: string;

  beforeAll(async () => {
    if (!gate.path) throw new Error(gate.reason);
    const lake = join(tmp.dir, 'lake');
    writeFixtureLake(lake);
    const report = writeFixtureReport(join(tmp.dir, 'defs'));
    const r = await cli(['report', report, '--period', FIXTURE_PERIOD, '--out', bundle, '--lake', lake, '--quiet', '--allow-partial']);
    if (r.code !== 0) throw new Error(r.stderr);
    url = pathToFileURL(join(bundle, 'index.html')).href;
  });
  afterAll(() => tmp.cleanup());

  it('parses into the header, the sections, their tables with every shown row, and the charts with their bars', async () => {
    const dom = await chromium(['--dump-dom', url], join(tmp.dir, 'profile-dom'));
    expect(dom).toContain('<h1>Fixture evidence report</h1>');
    const sections = [...dom.matchAll(/<section class="report-section" id="([^"]+)" data-status="ok">([\s\S]*?)<\/section>/g)];
    expect(sections.map((m) => m[1])).toEqual(['01-trail-tampering', '02-access-denied', '03-top-talkers']);
    const body = (html: string) => /<tbody>([\s\S]*?)<\/tbody>/.exec(html.slice(html.indexOf('class="results"')))![1]!;
    const rows = (html: string) => (body(html).match(/<tr>/g) ?? []).length;
    expect(rows(sections[0]![2]!)).toBe(100); // 151 rows, the page shows 100
    expect(rows(sections[1]![2]!)).toBe(2);
    expect(rows(sections[2]![2]!)).toBe(10);
    expect(body(sections[2]![2]!)).toContain('<td>10.0.2.15</td><td>203.0.113.200</td><td class="num">5000000000</td>');
    // Charts: stacked day columns for the trail changes, one bar per row for the bar charts.
    const svg = (html: string) => /<svg[\s\S]*?<\/svg>/.exec(html)![0];
    expect((svg(sections[0]![2]!).match(/class="day-bar"/g) ?? []).length).toBe(4); // UpdateTrail on 3 days, StopLogging on 1
    expect(svg(sections[0]![2]!)).toContain('class="chart chart-per-day"');
    expect((svg(sections[1]![2]!).match(/class="bar-rect"/g) ?? []).length).toBe(2);
    expect((svg(sections[2]![2]!).match(/class="bar-rect"/g) ?? []).length).toBe(5);
    expect(svg(sections[2]![2]!)).toContain('10.0.2.15 → 203.0.113.200');
  });

  it('draws them: a screenshot shows the chart bars and the page is not blank', async () => {
    const png = join(tmp.dir, 'page.png');
    await chromium(['--window-size=1280,2400', `--screenshot=${png}`, url], join(tmp.dir, 'profile-shot'));
    expect(statSync(png).size).toBeGreaterThan(50_000);
    const img = decodePng(readFileSync(png));
    expect([img.width, img.height]).toEqual([1280, 2400]);
    // The bar colour (#2563eb) fills the day columns and the bars: thousands of pixels.
    expect(countColour(img, '#2563eb')).toBeGreaterThan(2_000);
    // The red of StopLogging's series (#dc2626) is there too, in the chart and its legend.
    expect(countColour(img, '#dc2626')).toBeGreaterThan(20);
    // Text: many dark pixels, not an empty page.
    expect(countColour(img, '#111827') + countColour(img, '#1f2937')).toBeGreaterThan(1_000);
  });
});

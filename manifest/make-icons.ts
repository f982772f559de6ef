/**
 * Draws the two Teams app icons (color.png 192×192, outline.png 32×32) into manifest/.
 * Run with `npx tsx manifest/make-icons.ts` after changing the design; the PNGs are committed,
 * so packaging needs no image tooling — only node's zlib is used here for the same reason.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
/** Whether a point, in pixel units from the image's top-left corner, lies inside the shape. */
type Shape = (x: number, y: number) => boolean;

/** Same orange as the manifest's accentColor, so the icon and Teams' accent match. */
const ACCENT: Rgb = [0xe8, 0x83, 0x3a];
const SUN: Rgb = [0xf4, 0xa2, 0x61];
const WHITE: Rgb = [0xff, 0xff, 0xff];
/** Sub-samples per axis: enough to smooth the sun's edge without a real rasteriser. */
const SAMPLES = 4;

const rect =
  (x0: number, y0: number, x1: number, y1: number): Shape =>
  (x, y) =>
    x >= x0 && x < x1 && y >= y0 && y < y1;

const circle =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

/** The kanji 日 ("day", "sun") as a frame with a middle bar, centred on (cx, cy). */
function hiGlyph(cx: number, cy: number, width: number, height: number, stroke: number): Shape {
  const x0 = cx - width / 2;
  const y0 = cy - height / 2;
  const outer = rect(x0, y0, x0 + width, y0 + height);
  const inner = rect(x0 + stroke, y0 + stroke, x0 + width - stroke, y0 + height - stroke);
  const bar = rect(x0, cy - stroke / 2, x0 + width, cy + stroke / 2);
  return (x, y) => (outer(x, y) && !inner(x, y)) || bar(x, y);
}

function coverage(shape: Shape, px: number, py: number): number {
  let inside = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      if (shape(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)) inside++;
    }
  }
  return inside / (SAMPLES * SAMPLES);
}

function mix(under: Rgb, over: Rgb, amount: number): Rgb {
  const channel = (i: 0 | 1 | 2): number => Math.round(under[i] * (1 - amount) + over[i] * amount);
  return [channel(0), channel(1), channel(2)];
}

function chunk(type: string, data: Buffer): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** 8-bit RGBA, non-interlaced; every row uses filter 0 because these images are tiny. */
function encodePng(width: number, height: number, pixel: (x: number, y: number) => [...Rgb, number]): Buffer {
  const rowLength = 1 + width * 4;
  const raw = Buffer.alloc(rowLength * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      raw.set(pixel(x, y), y * rowLength + 1 + x * 4);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Full-bleed background: Teams masks the colour icon to its own rounded shape. */
function colorIcon(): Buffer {
  const sun = circle(96, 96, 70);
  const glyph = hiGlyph(96, 96, 64, 92, 12);
  return encodePng(192, 192, (x, y) => {
    const withSun = mix(ACCENT, SUN, coverage(sun, x, y));
    return [...mix(withSun, WHITE, coverage(glyph, x, y)), 255];
  });
}

/** Teams tints the outline icon itself, so it must be white on transparent; shape is carried by alpha alone. */
function outlineIcon(): Buffer {
  const glyph = hiGlyph(16, 16, 14, 22, 2);
  return encodePng(32, 32, (x, y) => {
    const alpha = Math.round(coverage(glyph, x, y) * 255);
    return alpha === 0 ? [0, 0, 0, 0] : [...WHITE, alpha];
  });
}

writeFileSync(join(__dirname, 'color.png'), colorIcon());
writeFileSync(join(__dirname, 'outline.png'), outlineIcon());
console.log('wrote manifest/color.png (192×192) and manifest/outline.png (32×32)');

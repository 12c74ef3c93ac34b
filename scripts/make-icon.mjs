// Draws the extension icon, images/icon.png (128×128 RGBA): two rings, one for each account
// of a cross-account grant, linked where they overlap, with a key in the middle.
// Run `node scripts/make-icon.mjs` after changing the drawing; the PNG is committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
/** Samples per pixel side: edges are smoothed by averaging SAMPLES² points. */
const SAMPLES = 4;

const BACKGROUND_TOP = [24, 43, 77];
const BACKGROUND_BOTTOM = [14, 27, 51];
const LEFT_RING = [255, 153, 0];
const RIGHT_RING = [46, 196, 182];
const KEY = [255, 255, 255];

const ring = (cx, cy, r, width) => (x, y) => Math.abs(Math.hypot(x - cx, y - cy) - r) <= width / 2;
const inRoundedSquare = (x, y, radius) => {
  const dx = Math.max(radius - x, 0, x - (SIZE - radius));
  const dy = Math.max(radius - y, 0, y - (SIZE - radius));
  return Math.hypot(dx, dy) <= radius;
};
const leftRing = ring(50, 64, 30, 11);
const rightRing = ring(78, 64, 30, 11);
/** A key lying across the middle: a round bow on the left, a shaft, two teeth. */
const key = (x, y) => {
  const bow = Math.hypot(x - 52, y - 64);
  if (bow <= 9 && bow >= 4) return true;
  if (x >= 60 && x <= 80 && Math.abs(y - 64) <= 2.5) return true;
  if (x >= 71 && x <= 74.5 && y >= 64 && y <= 71) return true;
  if (x >= 76.5 && x <= 80 && y >= 64 && y <= 69) return true;
  return false;
};

/** The colour at one sample point, or undefined outside the icon's rounded square. */
function colourAt(x, y) {
  if (!inRoundedSquare(x, y, 22)) return undefined;
  if (key(x, y)) return KEY;
  // Where the rings cross, the upper half shows the right ring, the lower half the left: linked.
  const l = leftRing(x, y);
  const r = rightRing(x, y);
  if (l && r) return y < 64 ? RIGHT_RING : LEFT_RING;
  if (l) return LEFT_RING;
  if (r) return RIGHT_RING;
  const t = y / SIZE;
  return BACKGROUND_TOP.map((c, i) => Math.round(c * (1 - t) + BACKGROUND_BOTTOM[i] * t));
}

function pixels() {
  const rows = [];
  for (let py = 0; py < SIZE; py++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0 (none), then RGBA
    for (let px = 0; px < SIZE; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colourAt(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES);
          if (!c) continue;
          sum[0] += c[0]; sum[1] += c[1]; sum[2] += c[2]; sum[3] += 1;
        }
      }
      const o = 1 + px * 4;
      if (sum[3]) for (let i = 0; i < 3; i++) row[o + i] = Math.round(sum[i] / sum[3]);
      row[o + 3] = Math.round((255 * sum[3]) / (SAMPLES * SAMPLES));
    }
    rows.push(row);
  }
  return Buffer.concat(rows);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels(), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync('images', { recursive: true });
writeFileSync('images/icon.png', png);
console.log(`images/icon.png: ${SIZE}×${SIZE}, ${png.length} bytes`);

// The Wild Rydes fleet dashboard page: a projected canvas map (Web Mercator, so optional tiles line up), the fleet
// line, the alerts panel and the selected unicorn's minute charts. No framework and no DOM node per unicorn: the
// fleet lives in typed arrays indexed by the server's stable ids, and one canvas draws it every animation frame.

const LEVELS = ['ok', 'low', 'critical', 'silent'];
const COLOURS = ['#2e9e44', '#f39c12', '#d62d20', '#8a8f98'];
const FIELDS = 8; // id, lat, lon, distance, magic, health, level, reading time (see fleet-view.ts)
const TRAIL = 8; // positions kept per unicorn for its trail
const TRAILS_UP_TO = 2000; // trails are drawn for every unicorn on screen only up to this many
const EARTH_CIRCUMFERENCE_M = 40075016.686;
const MAX_ALERTS_SHOWN = 200;

let config = { tileUrl: null, silentAfterMs: 30000, mphPerMetrePerSecond: 2.23694 };

// ---- the fleet, by id -------------------------------------------------------------------------------------------
const fleet = {
  count: 0,
  capacity: 0,
  names: [],
  ids: new Map(),
  x0: new Float64Array(0), y0: new Float64Array(0), x1: new Float64Array(0), y1: new Float64Array(0),
  movedAt: new Float64Array(0),
  lat: new Float64Array(0), lon: new Float64Array(0),
  distance: new Float32Array(0), magic: new Float32Array(0), health: new Float32Array(0),
  level: new Uint8Array(0), readingTime: new Float64Array(0),
  trail: new Float64Array(0), trailLength: new Uint8Array(0), trailHead: new Uint8Array(0),
  sx: new Float32Array(0), sy: new Float32Array(0), alpha: new Float32Array(0),
};

function grow(needed) {
  if (needed <= fleet.capacity) return;
  let capacity = Math.max(64, fleet.capacity);
  while (capacity < needed) capacity *= 2;
  for (const [key, type, per] of [
    ['x0', Float64Array, 1], ['y0', Float64Array, 1], ['x1', Float64Array, 1], ['y1', Float64Array, 1], ['movedAt', Float64Array, 1],
    ['lat', Float64Array, 1], ['lon', Float64Array, 1], ['distance', Float32Array, 1], ['magic', Float32Array, 1], ['health', Float32Array, 1],
    ['level', Uint8Array, 1], ['readingTime', Float64Array, 1], ['trail', Float64Array, TRAIL * 2], ['trailLength', Uint8Array, 1],
    ['trailHead', Uint8Array, 1], ['sx', Float32Array, 1], ['sy', Float32Array, 1], ['alpha', Float32Array, 1],
  ]) {
    const next = new type(capacity * per);
    next.set(fleet[key]);
    fleet[key] = next;
  }
  fleet.capacity = capacity;
}

function resetFleet() {
  fleet.count = 0;
  fleet.names = [];
  fleet.ids.clear();
  fleet.trailLength.fill(0);
}

const worldX = (lon) => (lon + 180) / 360;
const worldY = (lat) => {
  const s = Math.sin((Math.max(-85, Math.min(85, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
};
const latitudeOf = (y) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

// Server time, estimated from the last frame: readings are judged old by the server's clock, not the browser's.
let serverOffset = 0;
const serverNow = () => Date.now() + serverOffset;

function applyFrame(frame) {
  serverOffset = frame.time - Date.now();
  const { firstNewId, newNames, changed } = frame;
  grow(firstNewId + newNames.length);
  for (let i = 0; i < newNames.length; i++) {
    const id = firstNewId + i;
    fleet.names[id] = newNames[i];
    fleet.ids.set(newNames[i], id);
    fleet.trailLength[id] = 0;
    fleet.movedAt[id] = 0;
  }
  fleet.count = Math.max(fleet.count, firstNewId + newNames.length);
  const now = performance.now();
  for (let k = 0; k < changed.length; k += FIELDS) {
    const id = changed[k];
    const lat = changed[k + 1], lon = changed[k + 2];
    const x = worldX(lon), y = worldY(lat);
    if (fleet.movedAt[id] === 0) {
      fleet.x0[id] = fleet.x1[id] = x;
      fleet.y0[id] = fleet.y1[id] = y;
    } else if (x !== fleet.x1[id] || y !== fleet.y1[id]) {
      // Glide from where the marker is drawn now to the new position over the next second.
      const t = Math.min(1, (now - fleet.movedAt[id]) / 1000);
      fleet.x0[id] = fleet.x0[id] + (fleet.x1[id] - fleet.x0[id]) * t;
      fleet.y0[id] = fleet.y0[id] + (fleet.y1[id] - fleet.y0[id]) * t;
      fleet.x1[id] = x;
      fleet.y1[id] = y;
    }
    if (fleet.movedAt[id] === 0 || x !== fleet.trail[(id * TRAIL + ((fleet.trailHead[id] + TRAIL - 1) % TRAIL)) * 2]) pushTrail(id, x, y);
    fleet.movedAt[id] = now;
    fleet.lat[id] = lat;
    fleet.lon[id] = lon;
    fleet.distance[id] = changed[k + 3];
    fleet.magic[id] = changed[k + 4];
    fleet.health[id] = changed[k + 5];
    fleet.level[id] = changed[k + 6];
    fleet.readingTime[id] = changed[k + 7];
  }
  // Until the user pans or zooms, the view follows the fleet, refitting only when a unicorn would leave it.
  if (autoFit && fleet.count > 0 && (!fitted || anyOutsideView())) fitToFleet();
  if (selected !== null && frame.minutesClosed && frame.minutesClosed.includes(selected)) void loadMinutes(selected);
  if (selected !== null) renderDetail();
}

function pushTrail(id, x, y) {
  const head = fleet.trailHead[id];
  fleet.trail[(id * TRAIL + head) * 2] = x;
  fleet.trail[(id * TRAIL + head) * 2 + 1] = y;
  fleet.trailHead[id] = (head + 1) % TRAIL;
  fleet.trailLength[id] = Math.min(TRAIL, fleet.trailLength[id] + 1);
}

// ---- the map ---------------------------------------------------------------------------------------------------
const canvas = document.getElementById('map');
const context = canvas.getContext('2d', { alpha: false });
const popup = document.getElementById('popup');
// The view: the world point at the centre, and pixels per world unit (256 × 2^zoom, as tile servers count).
const view = { cx: worldX(-73.985184), cy: worldY(40.749167), scale: 256 * 2 ** 14 };
let autoFit = true;
let width = 0, height = 0, pixelRatio = 1;

const sprites = COLOURS.map((colour) => {
  const sprite = document.createElement('canvas');
  sprite.width = sprite.height = 14;
  const c = sprite.getContext('2d');
  c.beginPath();
  c.arc(7, 7, 5, 0, 2 * Math.PI);
  c.fillStyle = colour;
  c.fill();
  c.lineWidth = 1.5;
  c.strokeStyle = '#ffffff';
  c.stroke();
  return sprite;
});

function resize() {
  pixelRatio = window.devicePixelRatio || 1;
  width = canvas.clientWidth;
  height = canvas.clientHeight;
  canvas.width = Math.round(width * pixelRatio);
  canvas.height = Math.round(height * pixelRatio);
}
window.addEventListener('resize', resize);

let fitted = false;
function anyOutsideView() {
  const marginX = (width * 0.05) / view.scale, marginY = (height * 0.05) / view.scale;
  const left = view.cx - width / 2 / view.scale + marginX, right = view.cx + width / 2 / view.scale - marginX;
  const top = view.cy - height / 2 / view.scale + marginY, bottom = view.cy + height / 2 / view.scale - marginY;
  for (let id = 0; id < fleet.count; id++) {
    if (fleet.movedAt[id] === 0) continue;
    if (fleet.x1[id] < left || fleet.x1[id] > right || fleet.y1[id] < top || fleet.y1[id] > bottom) return true;
  }
  return false;
}

function fitToFleet() {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let id = 0; id < fleet.count; id++) {
    if (fleet.movedAt[id] === 0) continue;
    minX = Math.min(minX, fleet.x1[id]); maxX = Math.max(maxX, fleet.x1[id]);
    minY = Math.min(minY, fleet.y1[id]); maxY = Math.max(maxY, fleet.y1[id]);
  }
  if (!Number.isFinite(minX) || width === 0) return;
  view.cx = (minX + maxX) / 2;
  view.cy = (minY + maxY) / 2;
  const span = Math.max(maxX - minX, maxY - minY, 1e-7);
  view.scale = Math.min(256 * 2 ** 17, (Math.min(width, height) * 0.7) / span);
  fitted = true;
}

const toScreenX = (x) => (x - view.cx) * view.scale + width / 2;
const toScreenY = (y) => (y - view.cy) * view.scale + height / 2;

const tiles = new Map();
function drawTiles() {
  if (!config.tileUrl) return;
  const z = Math.max(0, Math.min(19, Math.round(Math.log2(view.scale / 256))));
  const n = 2 ** z;
  const size = view.scale / n;
  const left = Math.floor((view.cx - width / 2 / view.scale) * n), right = Math.floor((view.cx + width / 2 / view.scale) * n);
  const top = Math.floor((view.cy - height / 2 / view.scale) * n), bottom = Math.floor((view.cy + height / 2 / view.scale) * n);
  for (let tx = left; tx <= right; tx++) {
    for (let ty = Math.max(0, top); ty <= Math.min(n - 1, bottom); ty++) {
      const wrapped = ((tx % n) + n) % n;
      const url = config.tileUrl.replace('{z}', z).replace('{x}', wrapped).replace('{y}', ty);
      let image = tiles.get(url);
      if (image === undefined) {
        if (tiles.size > 400) tiles.clear();
        image = new Image();
        // CORS, so the canvas stays readable (see mapLayer); a load redraws the map layer.
        image.crossOrigin = 'anonymous';
        image.addEventListener('load', () => tileLoads++);
        image.src = url;
        tiles.set(url, image);
      }
      if (image.complete && image.naturalWidth > 0) context.drawImage(image, toScreenX(tx / n), toScreenY(ty / n), size + 0.5, size + 0.5);
    }
  }
}

const NICE_STEPS = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30];
function drawGrid() {
  const degreesPerPixel = 360 / view.scale;
  const step = NICE_STEPS.find((s) => s / degreesPerPixel >= 90) ?? 30;
  const lonLeft = (view.cx - width / 2 / view.scale) * 360 - 180;
  const lonRight = (view.cx + width / 2 / view.scale) * 360 - 180;
  const latTop = latitudeOf(view.cy - height / 2 / view.scale);
  const latBottom = latitudeOf(view.cy + height / 2 / view.scale);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  context.strokeStyle = config.tileUrl ? 'rgba(40,60,80,.25)' : '#d5dde5';
  context.lineWidth = 1;
  context.fillStyle = '#6b7886';
  context.font = '11px system-ui, sans-serif';
  context.beginPath();
  for (let lon = Math.ceil(lonLeft / step) * step; lon <= lonRight; lon += step) {
    const x = Math.round(toScreenX(worldX(lon))) + 0.5;
    context.moveTo(x, 0);
    context.lineTo(x, height);
    context.fillText(`${lon.toFixed(digits)}°`, x + 3, height - 4);
  }
  for (let lat = Math.ceil(latBottom / step) * step; lat <= latTop; lat += step) {
    const y = Math.round(toScreenY(worldY(lat))) + 0.5;
    context.moveTo(0, y);
    context.lineTo(width, y);
    context.fillText(`${lat.toFixed(digits)}°`, width - 60, y - 3);
  }
  context.stroke();
}

function drawScaleBar() {
  const metresPerPixel = (EARTH_CIRCUMFERENCE_M * Math.cos((latitudeOf(view.cy) * Math.PI) / 180)) / view.scale;
  let metres = 1;
  for (const candidate of [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6]) if (candidate / metresPerPixel <= 140) metres = candidate;
  const pixels = metres / metresPerPixel;
  const x = 14, y = height - 26;
  context.fillStyle = 'rgba(255,255,255,.85)';
  context.fillRect(x - 6, y - 16, pixels + 12, 26);
  context.strokeStyle = '#1d2733';
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(x, y - 4); context.lineTo(x, y + 2); context.lineTo(x + pixels, y + 2); context.lineTo(x + pixels, y - 4);
  context.stroke();
  context.fillStyle = '#1d2733';
  context.font = '11px system-ui, sans-serif';
  context.fillText(metres >= 1000 ? `${metres / 1000} km` : `${metres} m`, x + 2, y - 5);
}

// Markers are stamped into the pixels in JavaScript, not drawn with one canvas call each: with 10,000 unicorns,
// thousands of drawImage calls a frame cost ~40 µs apiece in headless Chromium, a stamp ~0.3 µs. The map under
// them (background, tiles, grid) is drawn once per view and kept as pixels.
const COLOUR_PIXELS = COLOURS.map((hex) => 0xff000000 | (parseInt(hex.slice(5, 7), 16) << 16) | (parseInt(hex.slice(3, 5), 16) << 8) | parseInt(hex.slice(1, 3), 16));
const WHITE = 0xffffffff;
let stamp = null; // { ratio, offsetsX, offsetsY, border (Uint8Array), reach }
function markerStamp() {
  if (stamp !== null && stamp.ratio === pixelRatio) return stamp;
  const radius = 6 * pixelRatio, edge = 1 * pixelRatio, reach = Math.ceil(radius + 1);
  const xs = [], ys = [], border = [];
  for (let dy = -reach; dy <= reach; dy++) {
    for (let dx = -reach; dx <= reach; dx++) {
      const d = Math.hypot(dx, dy);
      if (d > radius + 0.5) continue;
      xs.push(dx); ys.push(dy); border.push(d > radius - edge ? 1 : 0);
    }
  }
  stamp = { ratio: pixelRatio, offsetsX: Int16Array.from(xs), offsetsY: Int16Array.from(ys), border: Uint8Array.from(border), reach };
  return stamp;
}

let tileLoads = 0;
let base = null; // { key, pixels } of the map under the markers; null when the canvas cannot be read back
let frameImage = null, framePixels = null;
function mapLayer() {
  const key = `${canvas.width}x${canvas.height}:${view.cx}:${view.cy}:${view.scale}:${tileLoads}`;
  if (base !== null && base.key === key) return base;
  context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  context.fillStyle = '#eef2f5';
  context.fillRect(0, 0, width, height);
  drawTiles();
  drawGrid();
  try {
    frameImage = context.getImageData(0, 0, canvas.width, canvas.height);
    base = { key, pixels: new Uint32Array(frameImage.data.buffer.slice(0)) };
    framePixels = new Uint32Array(frameImage.data.buffer);
  } catch {
    // Tiles without CORS taint the canvas: markers are then drawn with the canvas API, slower.
    base = { key, pixels: null };
  }
  return base;
}

function stampMarkers() {
  const { offsetsX, offsetsY, border, reach } = markerStamp();
  const w = canvas.width, h = canvas.height, n = offsetsX.length, pixels = framePixels;
  for (let level = 0; level < 4; level++) {
    const fill = COLOUR_PIXELS[level];
    for (let id = 0; id < fleet.count; id++) {
      const alpha = fleet.alpha[id];
      if (fleet.level[id] !== level || alpha === 0) continue;
      const cx = Math.round(fleet.sx[id] * pixelRatio), cy = Math.round(fleet.sy[id] * pixelRatio);
      if (cx < -reach || cy < -reach || cx >= w + reach || cy >= h + reach) continue;
      const inside = cx >= reach && cy >= reach && cx < w - reach && cy < h - reach;
      for (let k = 0; k < n; k++) {
        const x = cx + offsetsX[k], y = cy + offsetsY[k];
        if (!inside && (x < 0 || y < 0 || x >= w || y >= h)) continue;
        const colour = border[k] === 1 ? WHITE : fill;
        const at = y * w + x;
        if (alpha === 1) { pixels[at] = colour; continue; }
        const under = pixels[at];
        const r = ((colour & 0xff) * alpha + (under & 0xff) * (1 - alpha)) | 0;
        const g = (((colour >>> 8) & 0xff) * alpha + ((under >>> 8) & 0xff) * (1 - alpha)) | 0;
        const b = (((colour >>> 16) & 0xff) * alpha + ((under >>> 16) & 0xff) * (1 - alpha)) | 0;
        pixels[at] = (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
      }
    }
  }
}

function drawMarkersWithCanvas() {
  for (let level = 0; level < 4; level++) {
    const sprite = sprites[level];
    for (let id = 0; id < fleet.count; id++) {
      if (fleet.level[id] !== level || fleet.alpha[id] === 0) continue;
      const x = fleet.sx[id], y = fleet.sy[id];
      if (x < -10 || x > width + 10 || y < -10 || y > height + 10) continue;
      context.globalAlpha = fleet.alpha[id];
      context.drawImage(sprite, x - 7, y - 7);
    }
  }
  context.globalAlpha = 1;
}

// Device-pixel rectangles [x0, x1) × [y0, y1) of what was drawn over the map layer.
let lastDrawn = null, lastLayerKey = null;
const wholeCanvas = () => ({ x0: 0, y0: 0, x1: canvas.width, y1: canvas.height });
function union(a, b) {
  if (a === null) return b;
  if (b === null) return a;
  return { x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) };
}

/** Where this frame draws over the map layer: every marker, and the selected unicorn's ring and trail. */
function drawnRegion() {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const include = (x, y, margin) => {
    x0 = Math.min(x0, x - margin); y0 = Math.min(y0, y - margin); x1 = Math.max(x1, x + margin); y1 = Math.max(y1, y + margin);
  };
  for (let id = 0; id < fleet.count; id++) if (fleet.alpha[id] !== 0) include(fleet.sx[id], fleet.sy[id], 9);
  const id = selected === null ? undefined : fleet.ids.get(selected);
  if (id !== undefined && fleet.movedAt[id] !== 0) {
    include(fleet.sx[id], fleet.sy[id], 14);
    const head = fleet.trailHead[id], n = fleet.trailLength[id];
    for (let k = 0; k < n; k++) {
      const slot = (head + TRAIL - n + k) % TRAIL;
      include(toScreenX(fleet.trail[(id * TRAIL + slot) * 2]), toScreenY(fleet.trail[(id * TRAIL + slot) * 2 + 1]), 3);
    }
  }
  if (x0 === Infinity) return null;
  const clip = (v, max) => Math.max(0, Math.min(max, v));
  const region = {
    x0: clip(Math.floor(x0 * pixelRatio), canvas.width), y0: clip(Math.floor(y0 * pixelRatio), canvas.height),
    x1: clip(Math.ceil(x1 * pixelRatio), canvas.width), y1: clip(Math.ceil(y1 * pixelRatio), canvas.height),
  };
  return region.x1 > region.x0 && region.y1 > region.y0 ? region : null;
}

let visibleMarkers = 0;
function draw(now) {
  const layer = mapLayer();
  const nowServer = serverNow();
  const silentAfter = config.silentAfterMs;
  let onScreen = 0;
  for (let id = 0; id < fleet.count; id++) {
    if (fleet.movedAt[id] === 0) { fleet.alpha[id] = 0; continue; }
    const t = Math.min(1, (now - fleet.movedAt[id]) / 1000);
    const x = toScreenX(fleet.x0[id] + (fleet.x1[id] - fleet.x0[id]) * t);
    const y = toScreenY(fleet.y0[id] + (fleet.y1[id] - fleet.y0[id]) * t);
    fleet.sx[id] = x;
    fleet.sy[id] = y;
    // Unseen for 30 s: fade out over 5 s, to a ghost that can still be clicked.
    const age = nowServer - fleet.readingTime[id];
    fleet.alpha[id] = age <= silentAfter ? 1 : Math.max(0.25, 1 - (age - silentAfter) / 5000);
    if (x > -10 && x < width + 10 && y > -10 && y < height + 10) onScreen++;
  }
  visibleMarkers = onScreen;

  const trailsForAll = onScreen <= TRAILS_UP_TO;
  context.setTransform(1, 0, 0, 1, 0, 0);
  if (layer.pixels !== null) {
    // Only the part of the canvas drawn over this frame or the last one is restored and sent: the map layer elsewhere
    // is already on the canvas. Trails for the whole fleet can reach anywhere, so then the whole canvas is sent.
    const drawn = trailsForAll ? wholeCanvas() : drawnRegion();
    const region = layer.key !== lastLayerKey || lastDrawn === null ? wholeCanvas() : union(lastDrawn, drawn);
    if (region !== null) {
      const w = canvas.width;
      for (let y = region.y0; y < region.y1; y++) framePixels.set(layer.pixels.subarray(y * w + region.x0, y * w + region.x1), y * w + region.x0);
      stampMarkers();
      context.putImageData(frameImage, 0, 0, region.x0, region.y0, region.x1 - region.x0, region.y1 - region.y0);
    }
    lastDrawn = drawn;
    lastLayerKey = layer.key;
    context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  } else {
    context.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
    context.fillStyle = '#eef2f5';
    context.fillRect(0, 0, width, height);
    drawTiles();
    drawGrid();
    drawMarkersWithCanvas();
  }
  if (trailsForAll || selected !== null) drawTrails(trailsForAll);

  const id = selected === null ? undefined : fleet.ids.get(selected);
  if (id !== undefined && fleet.movedAt[id] !== 0) {
    context.strokeStyle = '#1d2733';
    context.lineWidth = 2;
    context.beginPath();
    context.arc(fleet.sx[id], fleet.sy[id], 10, 0, 2 * Math.PI);
    context.stroke();
    popup.style.transform = `translate(${Math.round(fleet.sx[id] + 14)}px, ${Math.round(fleet.sy[id] - 20)}px)`;
  }
  drawScaleBar();
}

function drawTrails(all) {
  context.lineWidth = 1.5;
  for (let level = 0; level < 4; level++) {
    context.strokeStyle = COLOURS[level];
    context.globalAlpha = 0.45;
    context.beginPath();
    const only = all ? undefined : fleet.ids.get(selected);
    for (let id = only ?? 0; id < (only === undefined ? fleet.count : only + 1); id++) {
      const n = fleet.trailLength[id];
      if (n < 3 || fleet.level[id] !== level) continue;
      const head = fleet.trailHead[id];
      // The newest point is where the marker is gliding to: the trail ends at the marker instead.
      for (let k = 0; k < n - 1; k++) {
        const slot = (head + TRAIL - n + k) % TRAIL;
        const x = toScreenX(fleet.trail[(id * TRAIL + slot) * 2]), y = toScreenY(fleet.trail[(id * TRAIL + slot) * 2 + 1]);
        if (k === 0) context.moveTo(x, y); else context.lineTo(x, y);
      }
      context.lineTo(fleet.sx[id], fleet.sy[id]);
    }
    context.stroke();
  }
  context.globalAlpha = 1;
}

// Frames per second, counted over the last second of animation frames.
let framesThisSecond = 0, secondStarted = performance.now(), fps = 0;
let drawMs = 0;
function animate(now) {
  const started = performance.now();
  draw(now);
  drawMs = drawMs * 0.9 + (performance.now() - started) * 0.1;
  framesThisSecond++;
  if (now - secondStarted >= 1000) {
    fps = (framesThisSecond * 1000) / (now - secondStarted);
    framesThisSecond = 0;
    secondStarted = now;
  }
  requestAnimationFrame(animate);
}

// ---- interaction -----------------------------------------------------------------------------------------------
let drag = null;
canvas.addEventListener('pointerdown', (event) => {
  drag = { x: event.clientX, y: event.clientY, cx: view.cx, cy: view.cy, moved: false };
  canvas.setPointerCapture(event.pointerId);
});
canvas.addEventListener('pointermove', (event) => {
  if (drag === null) return;
  const dx = event.clientX - drag.x, dy = event.clientY - drag.y;
  if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; autoFit = false; canvas.classList.add('dragging'); }
  view.cx = drag.cx - dx / view.scale;
  view.cy = drag.cy - dy / view.scale;
});
canvas.addEventListener('pointerup', (event) => {
  const wasClick = drag !== null && !drag.moved;
  drag = null;
  canvas.classList.remove('dragging');
  if (!wasClick) return;
  const rect = canvas.getBoundingClientRect();
  const name = nearestUnicorn(event.clientX - rect.left, event.clientY - rect.top, 12);
  select(name);
});
canvas.addEventListener('wheel', (event) => {
  event.preventDefault();
  const rect = canvas.getBoundingClientRect();
  zoomAt(event.clientX - rect.left, event.clientY - rect.top, event.deltaY < 0 ? 1.25 : 0.8);
}, { passive: false });
document.getElementById('zoom-in').addEventListener('click', () => zoomAt(width / 2, height / 2, 1.5));
document.getElementById('zoom-out').addEventListener('click', () => zoomAt(width / 2, height / 2, 1 / 1.5));
document.getElementById('fit').addEventListener('click', () => { autoFit = true; fitToFleet(); });

function zoomAt(px, py, factor) {
  autoFit = false;
  const wx = view.cx + (px - width / 2) / view.scale, wy = view.cy + (py - height / 2) / view.scale;
  view.scale = Math.max(256, Math.min(256 * 2 ** 21, view.scale * factor));
  view.cx = wx - (px - width / 2) / view.scale;
  view.cy = wy - (py - height / 2) / view.scale;
}

function nearestUnicorn(px, py, radius) {
  let best = null, bestDistance = radius * radius;
  for (let id = 0; id < fleet.count; id++) {
    if (fleet.alpha[id] === 0) continue;
    const dx = fleet.sx[id] - px, dy = fleet.sy[id] - py, d = dx * dx + dy * dy;
    if (d <= bestDistance) { bestDistance = d; best = fleet.names[id]; }
  }
  return best;
}

// ---- the selected unicorn --------------------------------------------------------------------------------------
let selected = null;
let minutes = [];
const detailName = document.getElementById('detail-name');
const detailHint = document.getElementById('detail-hint');
const detailVitals = document.getElementById('detail-vitals');
const charts = document.getElementById('charts');

function select(name) {
  selected = name;
  minutes = [];
  document.getElementById('readings-note').textContent = '';
  if (name === null) {
    popup.hidden = true;
    detailName.textContent = 'No unicorn selected';
    detailHint.hidden = false;
    detailVitals.hidden = true;
    charts.hidden = true;
    return;
  }
  popup.hidden = false;
  detailHint.hidden = true;
  detailVitals.hidden = false;
  charts.hidden = false;
  charts.dataset.minutes = '0';
  charts.dataset.closedMinutes = '0';
  renderDetail();
  drawCharts();
  void loadMinutes(name);
}

function formatTime(epochMs) {
  return epochMs > 0 ? new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '–';
}

function vitals(id) {
  const level = LEVELS[fleet.level[id]];
  return {
    name: fleet.names[id], level,
    speedMph: (fleet.distance[id] * config.mphPerMetrePerSecond).toFixed(1),
    health: fleet.health[id], magic: fleet.magic[id], lastReading: formatTime(fleet.readingTime[id]),
  };
}

function renderDetail() {
  const id = fleet.ids.get(selected);
  if (id === undefined) return;
  const v = vitals(id);
  detailName.textContent = v.name;
  detailName.dataset.level = v.level;
  popup.replaceChildren(
    element('strong', v.name),
    element('span', `${v.speedMph} mph · health ${v.health} · magic ${v.magic}`), document.createElement('br'),
    element('span', v.level, 'level'), element('span', ` · last reading ${v.lastReading}`),
  );
  popup.dataset.level = v.level;
  popup.querySelector('.level').style.color = COLOURS[fleet.level[id]];
  detailVitals.replaceChildren(
    ...[['Health state', v.level], ['Speed', `${v.speedMph} mph`], ['Health points', String(v.health)], ['Magic points', String(v.magic)],
      ['Last reading', v.lastReading], ['Position', `${fleet.lat[id].toFixed(5)}, ${fleet.lon[id].toFixed(5)}`]]
      .flatMap(([term, value]) => [element('dt', term), element('dd', value)]),
  );
}

function element(tag, text, className) {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) node.className = className;
  return node;
}

const path = (name) => `/api/unicorns/${encodeURIComponent(name)}`;

async function loadMinutes(name) {
  const response = await fetch(`${path(name)}/minutes`);
  if (selected !== name) return;
  const note = document.getElementById('charts-note');
  if (!response.ok) { note.textContent = `minutes unavailable: ${(await response.json()).error}`; return; }
  minutes = (await response.json()).minutes;
  charts.dataset.minutes = String(minutes.length);
  const newest = minutes[minutes.length - 1];
  // The summaries table holds the current minute too, merged as its readings come, before the minute closes.
  const open = newest !== undefined && Date.parse(newest.StatusTime.replace(' ', 'T') + 'Z') > serverNow();
  charts.dataset.closedMinutes = String(minutes.length - (open ? 1 : 0));
  note.textContent = newest === undefined ? 'No minute in the last hour yet.'
    : `${minutes.length} minute${minutes.length === 1 ? '' : 's'} in the last hour${open ? ', the last one still open' : `; the newest ended ${newest.StatusTime} UTC`}.`;
  drawCharts();
}

function drawCharts() {
  chart('chart-distance', minutes.map((m) => [m.Distance, m.Distance]), '#3b6ea5', true);
  chart('chart-health', minutes.map((m) => [m.MinHealthPoints, m.MaxHealthPoints]), '#d62d20', false, [50, 100]);
  chart('chart-magic', minutes.map((m) => [m.MinMagicPoints, m.MaxMagicPoints]), '#7d4bb5', false, [50, 100]);
}

function chart(id, series, colour, bars, thresholds = []) {
  const c = document.getElementById(id).getContext('2d');
  const w = 300, h = 80, pad = 22;
  c.clearRect(0, 0, w, h);
  c.font = '10px system-ui, sans-serif';
  c.fillStyle = '#6b7886';
  if (series.length === 0) { c.fillText('waiting for the first minute to close…', pad, h / 2); return; }
  const max = Math.max(...series.map((p) => p[1]), ...thresholds, 1) * 1.1;
  const min = bars ? 0 : Math.min(0, ...series.map((p) => p[0]));
  // Minutes are placed by time over the last hour, so gaps show as gaps.
  const hourStart = Math.floor(serverNow() / 60000) * 60000 - 59 * 60000;
  const slot = (i) => Math.max(0, Math.min(59, Math.round((Date.parse(minutes[i].WindowStart.replace(' ', 'T') + 'Z') - hourStart) / 60000)));
  const x = (i) => pad + ((slot(i) + 0.5) * (w - pad - 4)) / 60;
  const y = (v) => h - 12 - ((v - min) * (h - 20)) / (max - min);
  c.fillText(String(Math.round(max)), 0, 10);
  c.fillText('−60 min', pad, h - 1);
  c.fillText('now', w - 22, h - 1);
  c.fillText(String(Math.round(min)), 0, h - 12);
  c.strokeStyle = '#d9dee4';
  for (const t of thresholds) { c.beginPath(); c.moveTo(pad, y(t)); c.lineTo(w, y(t)); c.stroke(); c.fillText(String(t), 0, y(t) + 3); }
  const barWidth = Math.max(2, (w - pad - 4) / 60 - 1);
  c.fillStyle = colour;
  c.strokeStyle = colour;
  series.forEach(([low, high], i) => {
    if (bars) c.fillRect(x(i) - barWidth / 2, y(high), barWidth, y(0) - y(high));
    else c.fillRect(x(i) - barWidth / 2, y(high), barWidth, Math.max(2, y(low) - y(high)));
  });
}

document.getElementById('load-readings').addEventListener('click', async () => {
  const name = selected;
  if (name === null) return;
  const note = document.getElementById('readings-note');
  note.textContent = 'querying the archive…';
  const response = await fetch(`${path(name)}/readings`);
  const body = await response.json();
  if (selected !== name) return;
  note.textContent = response.ok
    ? `${body.rows.length}${body.truncated ? '+' : ''} raw readings from the archive (${body.engine}, ${body.bytesScanned} bytes scanned)${body.rows.length > 0 ? `; the latest at ${body.rows[body.rows.length - 1][0]}` : ''}.`
    : `archive query failed: ${body.error}`;
});

// ---- alerts ----------------------------------------------------------------------------------------------------
const alertsShown = [];
const alertList = document.getElementById('alerts');
const kindFilter = document.getElementById('filter-kind');
const severityFilter = document.getElementById('filter-severity');
kindFilter.addEventListener('change', renderAlerts);
severityFilter.addEventListener('change', renderAlerts);

function receiveAlert(alert) {
  if (alertsShown.some((a) => a.alertId === alert.alertId)) return;
  alertsShown.unshift(alert);
  if (alertsShown.length > MAX_ALERTS_SHOWN) alertsShown.pop();
  renderAlerts();
}

function renderAlerts() {
  const kind = kindFilter.value, severity = severityFilter.value;
  alertList.replaceChildren(...alertsShown.filter((a) => (!kind || a.kind === kind) && (!severity || a.severity === severity)).map((a) => {
    const item = document.createElement('li');
    Object.assign(item.dataset, { kind: a.kind, severity: a.severity, name: a.name });
    const what = a.vital === null ? '' : ` ${a.vital} ${a.value} (threshold ${a.threshold})`;
    item.append(element('strong', a.name), element('span', ` ${a.kind}${what} · ${a.severity}`), document.createElement('br'), element('span', `${a.readingTime} UTC`, 'when'));
    item.addEventListener('click', () => {
      select(a.name);
      const id = fleet.ids.get(a.name);
      if (id !== undefined) { autoFit = false; view.cx = fleet.x1[id]; view.cy = fleet.y1[id]; }
    });
    return item;
  }));
}

// ---- the fleet line --------------------------------------------------------------------------------------------
const summary = document.getElementById('fleet-summary');
function renderFleetLine(line) {
  const set = (id, value) => { document.getElementById(id).textContent = value; };
  set('stat-unicorns', line.unicorns);
  for (const level of LEVELS) { set(`stat-${level}`, line.levels[level]); summary.dataset[level] = String(line.levels[level]); }
  summary.dataset.unicorns = String(line.unicorns);
  set('stat-rate', line.readingsPerSecond);
  set('stat-minutes', line.minutesEmitted);
  set('stat-quarantined', line.quarantinedRecords === null ? '–' : line.quarantinedRecords);
  set('stat-alerts', line.alerts);
}

// ---- the live stream -------------------------------------------------------------------------------------------
const connection = document.getElementById('connection');
let source = null;
function connect() {
  source = new EventSource('/api/live');
  source.addEventListener('snapshot', (event) => {
    const { frame, fleet: line, alerts } = JSON.parse(event.data);
    resetFleet();
    applyFrame(frame);
    renderFleetLine(line);
    alerts.forEach(receiveAlert);
    connection.textContent = 'live';
    connection.dataset.state = 'live';
  });
  source.addEventListener('frame', (event) => {
    const { frame, fleet: line } = JSON.parse(event.data);
    applyFrame(frame);
    renderFleetLine(line);
  });
  source.addEventListener('alert', (event) => receiveAlert(JSON.parse(event.data)));
  source.addEventListener('error', () => { connection.textContent = 'reconnecting…'; connection.dataset.state = 'lost'; });
}

// ---- a small hook for the browser test and the benchmark (the map itself is a canvas) -------------------------
window.__dashboard = {
  markers: () => fleet.names.slice(0, fleet.count).map((name, id) => ({
    name, level: LEVELS[fleet.level[id]], x: fleet.sx[id], y: fleet.sy[id], alpha: fleet.alpha[id],
  })),
  select: (name) => select(name),
  selected: () => selected,
  popup: () => (popup.hidden ? null : popup.textContent),
  minutes: () => minutes.length,
  alerts: () => alertsShown.map((a) => ({ name: a.name, kind: a.kind, severity: a.severity })),
  fps: () => fps,
  /** Time the page's own drawing code takes a frame (ms, smoothed); the rest of a frame is the browser's. */
  drawMs: () => drawMs,
  visibleMarkers: () => visibleMarkers,
  /** Stops the live stream and takes frames from the caller instead (the benchmark's synthetic fleet). */
  feed: (frame) => { if (source !== null) { source.close(); source = null; } applyFrame(frame); },
  reset: () => resetFleet(),
};

async function main() {
  resize();
  try {
    config = { ...config, ...(await (await fetch('/api/config')).json()) };
  } catch {
    // The defaults serve: no tiles.
  }
  connect();
  requestAnimationFrame(animate);
}
void main();

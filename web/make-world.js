#!/usr/bin/env node
// make-world.js - turn the npm package world-countries (GeoJSON shapes, one
// file per country) into web/world.tsv: one line per country,
//   ISO3 <TAB> ISO2 <TAB> name <TAB> SVG path
// in an equirectangular frame (x = longitude, y = -latitude, degrees), with
// points thinned to about 0.3 degrees. Both the dashboard and `sitrep report`
// draw the map from it. Usage: node make-world.js PKG_DIR OUT
'use strict';
const fs = require('fs');
const path = require('path');
const [pkg, out] = process.argv.slice(2);
if (!pkg || !out) { console.error('usage: make-world.js PKG_DIR OUT'); process.exit(2); }
const countries = JSON.parse(fs.readFileSync(path.join(pkg, 'countries.json'), 'utf8'));
const STEP = 0.3;
const r1 = (v) => (Math.round(v * 10) / 10).toString();

function ring(coords) {
  const pts = [];
  let last = null;
  for (const [lon, lat] of coords) {
    if (last && Math.abs(lon - last[0]) < STEP && Math.abs(lat - last[1]) < STEP) continue;
    pts.push([lon, lat]);
    last = [lon, lat];
  }
  if (pts.length < 3) return '';
  return 'M' + pts.map(([x, y]) => r1(x) + ' ' + r1(-y)).join('L') + 'Z';
}

const lines = [];
for (const c of countries) {
  const f = path.join(pkg, 'data', c.cca3.toLowerCase() + '.geo.json');
  if (!fs.existsSync(f)) continue;
  const gj = JSON.parse(fs.readFileSync(f, 'utf8'));
  let d = '';
  for (const feat of gj.features || []) {
    const g = feat.geometry;
    if (!g) continue;
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
    for (const poly of polys) for (const rg of poly) d += ring(rg);
  }
  if (!d) continue;
  const name = (c.name && c.name.common ? c.name.common : c.cca3).replace(/[\t\n]/g, ' ');
  lines.push([c.cca3, c.cca2, name, d].join('\t'));
}
lines.sort();
fs.writeFileSync(out, '# world.tsv - made by web/make-world.js from the npm package world-countries\n' +
  lines.join('\n') + '\n');
console.error(`make-world: ${lines.length} countries -> ${out}`);

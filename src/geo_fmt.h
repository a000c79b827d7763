/* geo_fmt.h - the on-disk layout of build/gazetteer.bin, shared by the
 * compiler (tools/gazc.c) and the loader (src/geo.c).
 *
 * One little-endian blob, every reference an offset from the start of the
 * file, so it is used in place after one mmap:
 *   header | places[] | slots[] | entries[] | postings[] | cc_index[676] | strings
 * Names are looked up by their normalised key (geo_norm_key): FNV-1a hash,
 * open addressing with linear probing over `slots` (entry index + 1, 0 empty).
 * Each entry lists the places bearing that name as postings: the place index
 * in the low 28 bits, GEO_POST_* flags above. */
#ifndef SITREP_GEO_FMT_H
#define SITREP_GEO_FMT_H
#include <stddef.h>
#include <stdint.h>

#define GEO_MAGIC "SRGAZ\x1a\r\n"  /* 8 bytes */
#define GEO_VERSION 3u
#define GEO_KEY_MAX 96             /* longest normalised key, bytes */

enum geo_kind { GEO_K_CITY = 0, GEO_K_ADM1 = 1, GEO_K_COUNTRY = 2, GEO_K_REGION = 3, GEO_K_ADM2 = 4 };

/* ids of the named sites of data/geo/sites (records of the town kind):
 * -(GEO_SITE_ID0 + n) for the n-th site read */
#define GEO_SITE_ID0 400000

/* posting flags */
#define GEO_POST_IDX 0x0fffffffu
#define GEO_POST_ALT 0x80000000u   /* an alternate name, not the main one */
#define GEO_POST_DEM 0x40000000u   /* a demonym ("Turkish" -> Turkey) */
#define GEO_POST_SHORT 0x20000000u /* with ALT: the main name's leading words ("Newcastle" for "Newcastle upon Tyne") */

typedef struct geo_hdr {
    char magic[8];
    uint32_t version, total_size;
    uint32_t nplaces, off_places;
    uint32_t nslots, off_slots;
    uint32_t nentries, off_entries;
    uint32_t npost, off_post;
    uint32_t off_ccindex;          /* uint32[26*26]: place index of country AA..ZZ, or UINT32_MAX */
    uint32_t strbytes, off_str;
    uint32_t reserved[3];
} geo_hdr;

typedef struct geo_rec {
    int32_t geonameid;             /* GeoNames id; < 0 for derived records (countries, ADM1/2, regions) */
    float lat, lon;
    uint32_t population;           /* ADM1/2: sum over its cities; countries: area in km2 */
    uint32_t name;                 /* string offset */
    uint32_t admin1_name;          /* string offset ("" when none) */
    uint32_t adm1;                 /* place index of its ADM1 record, or UINT32_MAX */
    uint32_t adm2;                 /* place index of its ADM2 record, or UINT32_MAX */
    char cc[2];                    /* ISO 3166-1 alpha-2 ("" for continents) */
    char fcode[6];                 /* GeoNames feature code, NUL-padded (may fill all 6) */
    uint8_t kind;                  /* enum geo_kind */
    uint8_t pad[3];
} geo_rec;

typedef struct geo_entry {
    uint32_t key;                  /* string offset of the normalised name */
    uint32_t hash;                 /* geo_hash(key) */
    uint32_t post, npost;          /* postings[post .. post+npost) */
} geo_entry;

/* Normalise `len` bytes of UTF-8 name `s` into `out` (size >= GEO_KEY_MAX):
 * case-folded, accents stripped, apostrophes and periods dropped, other punctuation and
 * runs of space made one space, trimmed. Returns the key length, or 0 when
 * the name is empty, too long, or keeps non-ASCII letters after folding. */
size_t geo_norm_key(const char *s, size_t len, char *out);
/* FNV-1a of `len` bytes. */
uint32_t geo_hash(const char *s, size_t len);

#endif

/* test_text.c - UTF-8 validation and repair, normalisation, lower-casing,
 * JSON record parsing limits. */
#include "check.h"
#include "json.h"
#include "text.h"
#include <stdlib.h>
#include <string.h>

int main(void) {
    arena a;
    arena_init(&a, 0);
    /* overlong, surrogate, truncated, invalid bytes */
    CHECK(text_utf8_seq((const unsigned char *)"\xC0\xAF", 2) == 0);
    CHECK(text_utf8_seq((const unsigned char *)"\xED\xA0\x80", 3) == 0);
    CHECK(text_utf8_seq((const unsigned char *)"\xF4\x90\x80\x80", 4) == 0);
    CHECK(text_utf8_seq((const unsigned char *)"\xE2\x80", 2) == 0);
    CHECK(text_utf8_seq((const unsigned char *)"\xE2\x80\x99", 3) == 3);
    size_t len, bad;
    char *r = text_repair(&a, "a\xFF" "b\xC0\xAF" "c", 6, &len, &bad);
    CHECK(bad == 3);
    CHECK_STR(r, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "c");
    r = text_repair(&a, "x\0y", 3, &len, &bad);
    CHECK(bad == 1 && len == 3 && r[1] == ' ');
    /* NFC: e + combining acute -> U+00E9 */
    uint32_t nl;
    CHECK_STR(text_norm(&a, "Cote\xCC\x81", 6, &nl), "Cot\xC3\xA9");
    CHECK_STR(text_norm(&a, "\xE2\x80\x9CHi\xE2\x80\x9D", 8, &nl), "\"Hi\"");
    CHECK_STR(text_lower(&a, "\xC3\x89LYS\xC3\x89" "E", 8, &nl), "\xC3\xA9lys\xC3\xA9" "e");
    /* JSON records */
    json_record jr;
    char err[128];
    const char *ok = "{\"id\": 7, \"date\": \"2024-03-18\", \"text\": \"a\\u2019b \\ud83d\\ude00\", \"extra\": {\"x\": [1, 2]}, \"spans\": [[0, 1], [2, 5]]}";
    CHECK(json_parse_record(&a, ok, strlen(ok), &jr, err, sizeof err) == 0);
    CHECK_STR(jr.id, "7");
    CHECK_STR(jr.text, "a\xE2\x80\x99" "b \xF0\x9F\x98\x80");
    CHECK(jr.nspans == 2 && jr.spans[3] == 5);
    const char *badj[] = {"{\"id\": \"x\"", "[1]", "{\"id\": \"x\", }", "{\"text\": \"a\\q\"}", "{\"a\": tru}", NULL};
    for (int i = 0; badj[i]; i++) CHECK(json_parse_record(&a, badj[i], strlen(badj[i]), &jr, err, sizeof err) != 0);
    /* deep nesting is refused, not a stack overflow */
    size_t n = 200000;
    char *deep = malloc(n * 2 + 32);
    strcpy(deep, "{\"x\": ");
    size_t o = strlen(deep);
    for (size_t i = 0; i < n; i++) deep[o++] = '[';
    for (size_t i = 0; i < n; i++) deep[o++] = ']';
    deep[o++] = '}';
    deep[o] = 0;
    CHECK(json_parse_record(&a, deep, o, &jr, err, sizeof err) != 0);
    CHECK(strstr(err, "nesting") != NULL);
    free(deep);
    arena_free(&a);
    return CHECK_DONE();
}

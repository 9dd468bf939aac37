// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: separators, nesting, escaping. */
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "helpers.h"
#include "json.h"

Test(json, nesting_and_commas)
{
	struct json_writer w;
	struct membuf m;
	char *s;

	json_init(&w, membuf_open(&m));
	json_object_begin(&w, NULL);
	json_array_begin(&w, "a");
	json_array_end(&w);
	json_object_begin(&w, "b");
	json_object_end(&w);
	json_array_begin(&w, "c");
	json_u64(&w, NULL, 1);
	json_object_begin(&w, NULL);
	json_null(&w, "x");
	json_bool(&w, "y", false);
	json_object_end(&w);
	json_array_end(&w);
	json_str(&w, "d", "s");
	json_hex64(&w, "e", ~0ull);
	json_u64(&w, "f", ~0ull);
	json_object_end(&w);
	s = membuf_str(&m);

	cr_assert_str_eq(s, "{\"a\":[],\"b\":{},\"c\":[1,{\"x\":null,\"y\":false}],"
			 "\"d\":\"s\",\"e\":\"0xffffffffffffffff\","
			 "\"f\":18446744073709551615}\n");
	cr_assert(json_valid(s));
	free(s);
}

Test(json, escape_specials)
{
	struct membuf m;
	char *s;

	json_escape(membuf_open(&m), "a\"b\\c\nd\te\rf\x01g\x1f/\x7f");
	s = membuf_str(&m);
	cr_assert_str_eq(s, "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u001f/\x7f\"");
	free(s);
}

Test(json, escaped_string_round_trips)
{
	static const char tricky[] = "/dev/\"mini\"\\vmm\n\t\x01\x1f end";
	struct json_writer w;
	struct membuf m;
	char *s, *got, want[256];
	unsigned int i;
	int n = 0;

	json_init(&w, membuf_open(&m));
	json_object_begin(&w, NULL);
	json_str(&w, "k\"ey", tricky);
	json_object_end(&w);
	s = membuf_str(&m);
	cr_assert(json_valid(s), "%s", s);

	/* Compare code points, so the check does not depend on escaping. */
	n += snprintf(want + n, sizeof(want) - n, "[");
	for (i = 0; i < strlen(tricky); i++)
		n += snprintf(want + n, sizeof(want) - n, "%s%d", i ? ", " : "",
			      tricky[i]);
	snprintf(want + n, sizeof(want) - n, "]");
	got = json_query(s, "[ord(ch) for ch in d['k\"ey']]");
	cr_assert_not_null(got);
	cr_assert_str_eq(got, want);
	free(got);
	free(s);
}

Test(json, non_utf8_bytes_escaped)
{
	struct membuf m;
	char *s;

	/*
	 * Kept: é (2 bytes), € (3), 😀 (4). Replaced, one U+FFFD per byte:
	 * a Latin-1 byte, a lone continuation byte, an overlong '/', a
	 * UTF-16 surrogate, a code point past U+10FFFF and a sequence cut
	 * short by the end of the string.
	 */
	json_escape(membuf_open(&m),
		    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\xe9|\x80|\xc0\xaf|"
		    "\xed\xa0\x80|\xf4\x90\x80\x80|\xe2\x82");
	s = membuf_str(&m);
	cr_assert_str_eq(s, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|"
			 "\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|"
			 "\\ufffd\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\"");
	cr_assert(json_valid(s), "%s", s);
	free(s);
}

Test(json, latin1_device_path_is_valid_json)
{
	struct json_writer w;
	struct membuf m;
	char *s, *got;

	json_init(&w, membuf_open(&m));
	json_object_begin(&w, NULL);
	json_str(&w, "device", "/dev/minivmm-\xe9t\xe9");
	json_object_end(&w);
	s = membuf_str(&m);
	/* python3 reads JSON as UTF-8: a raw 0xe9 would not even load. */
	got = json_query(s, "d['device']");
	cr_assert_not_null(got, "%s", s);
	cr_assert_str_eq(got, "\"/dev/minivmm-\\ufffdt\\ufffd\"");
	free(got);
	free(s);
}

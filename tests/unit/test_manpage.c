// SPDX-License-Identifier: GPL-2.0
/*
 * docs/minivmm.1 against the code: every long option of every getopt
 * table and every exit status must be documented, in the .TP tags of the
 * right section, so the page cannot fall behind the code unnoticed.
 * Documenting more than the code knows (yet) is fine.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>

#include "cli.h"
#include "commands.h"
#include "exit_status.h"
#include "helpers.h"

#define MANPAGE	MINIVMM_SRCDIR "/docs/minivmm.1"
#define MAX_TAGS	256

/* The tag line of one .TP paragraph, and where it is. */
struct man_tag {
	char section[64];	/* .SH */
	char subsection[64];	/* .SS, "" before the first one */
	char text[256];		/* roff escapes and macro name removed */
};

static struct man_tag tags[MAX_TAGS];
static unsigned int nr_tags;
static char subsections[32][64];	/* .SS names under COMMANDS */
static unsigned int nr_subsections;

/*
 * @line without the escapes that would hide an option or a number:
 * \- becomes -, font changes (\fB...), \& and quotes go. Leading
 * macro names (".B ", ".BR ") go too, so "--x" and "10" stand alone.
 */
static void man_plain(const char *line, char *out, size_t len)
{
	size_t n = 0;

	if (*line == '.') {
		while (*line && !isspace((unsigned char)*line))
			line++;
		while (isspace((unsigned char)*line))
			line++;
	}
	while (*line && n + 1 < len) {
		if (line[0] == '\\' && line[1] == 'f' && line[2]) {
			line += 3;
		} else if (line[0] == '\\' && (line[1] == '-' || line[1] == '&')) {
			if (line[1] == '-')
				out[n++] = '-';
			line += 2;
		} else if (*line == '"' || *line == '\n') {
			line++;
		} else {
			out[n++] = *line++;
		}
	}
	out[n] = '\0';
}

static void load_manpage(void)
{
	char line[512], section[64] = "", subsection[64] = "";
	bool tag_next = false;
	FILE *f = fopen(MANPAGE, "r");

	cr_assert_not_null(f, "cannot open %s", MANPAGE);
	nr_tags = nr_subsections = 0;
	while (fgets(line, sizeof(line), f)) {
		if (starts_with(line, ".SH ")) {
			man_plain(line, section, sizeof(section));
			subsection[0] = '\0';
		} else if (starts_with(line, ".SS ")) {
			man_plain(line, subsection, sizeof(subsection));
			if (!strcmp(section, "COMMANDS") && nr_subsections < 32)
				strcpy(subsections[nr_subsections++], subsection);
		} else if (tag_next) {
			struct man_tag *t = &tags[nr_tags];

			cr_assert_lt(nr_tags, MAX_TAGS, "raise MAX_TAGS");
			strcpy(t->section, section);
			strcpy(t->subsection, subsection);
			man_plain(line, t->text, sizeof(t->text));
			nr_tags++;
		}
		tag_next = starts_with(line, ".TP");
	}
	fclose(f);
	cr_assert_gt(nr_tags, 0, "no .TP paragraphs in %s", MANPAGE);
}

TestSuite(manpage, .init = load_manpage);

/* Does @text name option --@name (not merely a longer one)? */
static bool names_option(const char *text, const char *name)
{
	size_t len = strlen(name);
	const char *p;

	for (p = strstr(text, "--"); p; p = strstr(p + 2, "--")) {
		char after = p[2 + len];

		if (!strncmp(p + 2, name, len) &&
		    !isalnum((unsigned char)after) && after != '-')
			return true;
	}
	return false;
}

static bool option_documented(const char *section, const char *subsection,
			      const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_tags; i++)
		if (!strcmp(tags[i].section, section) &&
		    !strcmp(tags[i].subsection, subsection) &&
		    names_option(tags[i].text, name))
			return true;
	return false;
}

Test(manpage, global_options)
{
	const struct option *o;

	for (o = cli_long_opts; o->name; o++)
		cr_expect(option_documented("OPTIONS", "", o->name),
			  "--%s is not in a .TP tag under .SH OPTIONS of %s",
			  o->name, MANPAGE);
}

Test(manpage, every_command_has_a_subsection)
{
	const struct vmm_cmd *cmd;
	unsigned int i;

	for (cmd = vmm_cmds; cmd->name; cmd++) {
		for (i = 0; i < nr_subsections; i++)
			if (!strcmp(subsections[i], cmd->name))
				break;
		cr_expect_lt(i, nr_subsections,
			     "no '.SS %s' under .SH COMMANDS of %s",
			     cmd->name, MANPAGE);
	}
}

Test(manpage, command_options)
{
	const struct vmm_cmd *cmd;
	const struct option *o;

	for (cmd = vmm_cmds; cmd->name; cmd++) {
		cr_assert_not_null(cmd->longopts, "%s", cmd->name);
		for (o = cmd->longopts; o->name; o++)
			cr_expect(option_documented("COMMANDS", cmd->name, o->name),
				  "%s --%s is not in a .TP tag under '.SS %s' of %s",
				  cmd->name, o->name, cmd->name, MANPAGE);
	}
}

Test(manpage, exit_statuses)
{
	const struct vmm_exit_status_desc *e;
	char want[16];
	unsigned int i;

	for (e = vmm_exit_statuses; e->name; e++) {
		snprintf(want, sizeof(want), "%d", e->status);
		for (i = 0; i < nr_tags; i++)
			if (!strcmp(tags[i].section, "EXIT STATUS") &&
			    !strcmp(tags[i].text, want))
				break;
		cr_expect_lt(i, nr_tags,
			     "status %d (%s) is not a .TP tag under .SH \"EXIT STATUS\" of %s",
			     e->status, e->name, MANPAGE);
	}
}

/* The checks above must be able to fail: a made-up option is missing. */
Test(manpage, checks_can_fail)
{
	cr_assert(option_documented("COMMANDS", "run", "timeout"));
	cr_assert_not(option_documented("COMMANDS", "run", "time"),
		      "a prefix must not count");
	cr_assert_not(option_documented("COMMANDS", "info", "timeout"),
		      "another command's option must not count");
	cr_assert_not(option_documented("OPTIONS", "", "no-such-option"));
}

/* What the guest's own exit codes are, and the devices and environment. */
Test(manpage, sections)
{
	static const char *const want[] = {
		"NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS",
		"GUEST BOOT STATE", "DEVICES", "EXIT STATUS", "ENVIRONMENT",
		"FILES", "SEE ALSO",
	};
	unsigned int i, j;
	bool env = false;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		FILE *f = fopen(MANPAGE, "r");
		char line[512], plain[128];
		bool found = false;

		cr_assert_not_null(f);
		while (!found && fgets(line, sizeof(line), f)) {
			man_plain(line, plain, sizeof(plain));
			found = starts_with(line, ".SH ") && !strcmp(plain, want[i]);
		}
		fclose(f);
		cr_expect(found, ".SH %s missing from %s", want[i], MANPAGE);
	}
	for (j = 0; j < nr_tags; j++)
		env |= !strcmp(tags[j].section, "ENVIRONMENT") &&
		       !strcmp(tags[j].text, "MINIVMM_DEVICE");
	cr_expect(env, "MINIVMM_DEVICE is not under .SH ENVIRONMENT");
}

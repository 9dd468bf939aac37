// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "minivmm/cpuid_lookup.h"
#include "cpuid_table.h"
#include "die.h"
#include "exit_status.h"
#include "vcpu.h"

/* Leaves whose answer depends on ECX, and how many subleaves to ask for. */
static unsigned int cpuid_subleaves(__u32 leaf)
{
	switch (leaf) {
	case 0x4:	return 8;	/* cache levels */
	case 0x7:	return 2;
	case 0xb:	return 3;	/* topology levels */
	case 0xd:	return 32;	/* XSAVE components */
	default:	return 0;
	}
}

static int cpuid_table_add(struct cpuid_table *t, __u32 leaf, __u32 sub,
			   bool indexed)
{
	struct minivmm_cpuid_entry *e;

	if (t->hdr.nent >= MINIVMM_MAX_CPUID_ENTRIES)
		return -ENOSPC;
	e = &t->e[t->hdr.nent++];
	memset(e, 0, sizeof(*e));
	e->function = leaf;
	e->index = sub;
	e->flags = indexed ? MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX : 0;
	return 0;
}

/* Add @first..@last (each with its subleaves) and ask the module. */
static int cpuid_table_range(struct cpuid_table *t, struct vcpu *v,
			     __u32 first, __u32 last)
{
	__u32 leaf, sub, nsub;
	int ret;

	for (leaf = first; leaf <= last; leaf++) {
		nsub = cpuid_subleaves(leaf);
		for (sub = 0; sub < (nsub ? nsub : 1); sub++) {
			ret = cpuid_table_add(t, leaf, sub, nsub);
			if (ret)
				return ret;
		}
	}
	ret = v->ioctl(v->fd, MINIVMM_GET_CPUID, (unsigned long)t);
	return ret < 0 ? ret : 0;
}

int cpuid_table_from_module(struct cpuid_table *t, struct vcpu *v)
{
	__u32 max_basic, max_ext;
	int ret;

	memset(&t->hdr, 0, sizeof(t->hdr));
	ret = cpuid_table_range(t, v, 0, 0);
	if (ret)
		return ret;
	max_basic = t->e[0].eax < 0x20 ? t->e[0].eax : 0x20;
	ret = cpuid_table_range(t, v, 0x80000000, 0x80000000);
	if (ret)
		return ret;
	max_ext = t->e[1].eax;
	if (max_ext < 0x80000000 || max_ext > 0x80000020)
		max_ext = 0x80000000;
	/* Again, whole: leaf 0, the basic range, the extended range. */
	t->hdr.nent = 0;
	ret = cpuid_table_range(t, v, 0, max_basic);
	if (!ret)
		ret = cpuid_table_range(t, v, 0x80000000, max_ext);
	return ret;
}

int cpuid_table_set(struct cpuid_table *t, const struct cpuid_override *o)
{
	struct minivmm_cpuid_entry *e;
	__u32 i;

	for (i = 0; i < t->hdr.nent; i++) {
		e = &t->e[i];
		if (e->function == o->leaf &&
		    (!(e->flags & MINIVMM_CPUID_FLAG_SIGNIFICANT_INDEX) ||
		     !o->has_sub || e->index == o->sub))
			goto found;
	}
	if (cpuid_table_add(t, o->leaf, o->sub, o->has_sub))
		return -ENOSPC;
	e = &t->e[t->hdr.nent - 1];
found:
	e->eax = o->r[0];
	e->ebx = o->r[1];
	e->ecx = o->r[2];
	e->edx = o->r[3];
	return 0;
}

void cpuid_table_lookup(const struct cpuid_table *t, __u32 leaf, __u32 sub,
			__u32 r[4])
{
	minivmm_cpuid_lookup(t->e, t->hdr.nent, leaf, sub, r);
}

/* A 32-bit number, decimal or 0x-hex, ending at @end's character. */
static bool cpuid_parse_u32(const char *s, char **end, __u32 *out)
{
	unsigned long long v;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, end, 0);
	if (errno || *end == s || v > 0xffffffffull)
		return false;
	*out = v;
	return true;
}

int cpuid_override_parse(const char *arg, struct cpuid_override *o, FILE *err)
{
	const char *s = arg;
	char *end;
	int i;

	memset(o, 0, sizeof(*o));
	if (!cpuid_parse_u32(s, &end, &o->leaf))
		goto bad;
	if (*end == '.') {
		o->has_sub = true;
		if (!cpuid_parse_u32(end + 1, &end, &o->sub))
			goto bad;
	}
	if (*end != '=')
		goto bad;
	s = end + 1;
	for (i = 0; i < 4; i++) {
		if (!cpuid_parse_u32(s, &end, &o->r[i]))
			goto bad;
		if (*end != (i < 3 ? ':' : '\0'))
			goto bad;
		s = end + 1;
	}
	return 0;
bad:
	fprintf(err, VMM_PROG ": run: --cpuid '%s': want LEAF[.SUB]=EAX:EBX:ECX:EDX (numbers, 0x for hex)\n",
		arg);
	return VMM_EXIT_USAGE;
}

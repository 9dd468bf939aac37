// SPDX-License-Identifier: GPL-2.0
/*
 * MMIO instruction decoder: see mmio_decode.h for what and why.
 * Encodings: SDM Vol. 2A chapter 2 (prefixes, ModR/M, SIB; Tables 2-1 and
 * 2-2 for 16- and 32-bit addressing) and the MOV/MOVZX/MOVSX/STOS pages.
 */
#include "mmio_decode.h"

/* Bytes of ModR/M + SIB + displacement, for the given address size. */
static int modrm_len(const __u8 *b, unsigned int n, unsigned int addr_size)
{
	__u8 modrm, mod, rm;
	int len = 1;

	if (n < 1)
		return -1;
	modrm = b[0];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return -1;		/* a register, not memory: not MMIO */
	if (addr_size == 2) {
		if (mod == 0 && rm == 6)
			len += 2;
		else
			len += mod == 1 ? 1 : mod == 2 ? 2 : 0;
	} else {
		if (rm == 4) {		/* SIB */
			if (n < 2)
				return -1;
			len++;
			if (mod == 0 && (b[1] & 7) == 5)
				len += 4;
		} else if (mod == 0 && rm == 5) {
			len += 4;	/* disp32, or RIP-relative in 64-bit code */
		}
		len += mod == 1 ? 1 : mod == 2 ? 4 : 0;
	}
	return len <= (int)n ? len : -1;
}

static __u64 read_imm(const __u8 *b, unsigned int size)
{
	__u64 v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v |= (__u64)b[i] << (8 * i);
	/* Sign-extend, as MOV r/m64, imm32 does. */
	if (size < 8 && (v & (1ull << (8 * size - 1))))
		v |= ~0ull << (8 * size);
	return v;
}

int mmio_decode(const __u8 *b, unsigned int n, unsigned int mode,
		struct mmio_insn *insn)
{
	unsigned int i = 0, opsize, addr_size, rex = 0, opsize16 = 0, asize_pfx = 0;
	int rep = 0, ml;
	__u8 op;

	*insn = (struct mmio_insn){ 0 };
	/* Legacy prefixes, then REX (64-bit code only, right before the opcode). */
	for (; i < n && i < 15; i++) {
		op = b[i];
		if (op == 0x66)
			opsize16 = 1;
		else if (op == 0x67)
			asize_pfx = 1;
		else if (op == 0xf3 || op == 0xf2)
			rep = 1;
		else if (op == 0x2e || op == 0x36 || op == 0x3e || op == 0x26 ||
			 op == 0x64 || op == 0x65 || op == 0xf0)
			;		/* segment (its base is in the linear
					 * address already) or LOCK */
		else
			break;
	}
	if (mode == 64 && i < n && (b[i] & 0xf0) == 0x40)
		rex = b[i++];
	if (i >= n)
		return -1;

	if (mode == 16)
		opsize = opsize16 ? 4 : 2;
	else
		opsize = opsize16 ? 2 : 4;
	if (rex & 8)
		opsize = 8;		/* REX.W wins over 0x66 */
	if (mode == 64)
		addr_size = asize_pfx ? 4 : 8;
	else if (mode == 32)
		addr_size = asize_pfx ? 2 : 4;
	else
		addr_size = asize_pfx ? 4 : 2;
	insn->addr_size = addr_size;

	op = b[i++];
	if (op == 0x0f) {
		if (i >= n)
			return -1;
		op = b[i++];
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
			return -1;
		insn->size = (op & 1) ? 2 : 1;
		insn->ext = op >= 0xbe ? MMIO_EXT_SIGN : MMIO_EXT_ZERO;
		insn->dst_size = opsize;
		goto modrm_reg;
	}
	if (rep && (op == 0xaa || op == 0xab))
		return -1;		/* REP STOS to MMIO: not emulated */
	switch (op) {
	case 0x88: case 0x89: case 0x8a: case 0x8b:
		insn->size = (op & 1) ? opsize : 1;
		insn->dst_size = insn->size;
		insn->is_write = !(op & 2);
		insn->src = MMIO_SRC_REG;
		goto modrm_reg;
	case 0xc6: case 0xc7:
		insn->size = (op & 1) ? opsize : 1;
		insn->is_write = 1;
		insn->src = MMIO_SRC_IMM;
		if (i >= n || ((b[i] >> 3) & 7) != 0)
			return -1;	/* only /0 is MOV */
		ml = modrm_len(b + i, n - i, addr_size);
		if (ml < 0)
			return -1;
		i += ml;
		{
			unsigned int isz = insn->size == 8 ? 4 : insn->size;

			if (i + isz > n)
				return -1;
			insn->imm = read_imm(b + i, isz);
			i += isz;
		}
		insn->len = i;
		return 0;
	case 0xa0: case 0xa1: case 0xa2: case 0xa3:
		/* MOV AL/eAX <-> moffs: the offset has the address size. */
		insn->size = (op & 1) ? opsize : 1;
		insn->dst_size = insn->size;
		insn->is_write = op >= 0xa2;
		insn->src = MMIO_SRC_RAX;
		insn->reg = 0;
		if (i + addr_size > n)
			return -1;
		insn->len = i + addr_size;
		return 0;
	case 0xaa: case 0xab:
		insn->size = (op & 1) ? opsize : 1;
		insn->is_write = 1;
		insn->src = MMIO_SRC_RAX;
		insn->is_stos = 1;
		insn->len = i;
		return 0;
	default:
		return -1;
	}

modrm_reg:
	if (i >= n)
		return -1;
	insn->reg = ((b[i] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	/* Without REX, 8-bit registers 4-7 are AH, CH, DH, BH. */
	if (insn->dst_size == 1 && !rex && insn->reg >= 4 && insn->reg < 8) {
		insn->reg -= 4;
		insn->reg_high8 = 1;
	}
	ml = modrm_len(b + i, n - i, addr_size);
	if (ml < 0)
		return -1;
	insn->len = i + ml;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Decoding of the instructions a guest uses to touch MMIO: MOV to and
 * from memory (88, 89, 8A, 8B, C6, C7, A0-A3), MOVZX/MOVSX (0F B6/B7/BE/BF)
 * and STOS without REP (AA, AB), in 16-, 32- and 64-bit code, with
 * operand-size, address-size, segment and REX prefixes.
 *
 * Why a decoder at all: an EPT violation reports the guest-physical
 * address but not the access size, direction of data or register (SDM
 * Vol. 3C 28.2.1 Table 28-7), and its instruction-length field is not
 * defined for it. A pure function (no kernel headers) so the unit tests
 * build the same file in userspace.
 */
#ifndef MINIVMM_MMIO_DECODE_H
#define MINIVMM_MMIO_DECODE_H

#include <linux/types.h>

enum mmio_ext { MMIO_EXT_NONE, MMIO_EXT_ZERO, MMIO_EXT_SIGN };
enum mmio_src { MMIO_SRC_REG, MMIO_SRC_IMM, MMIO_SRC_RAX };

struct mmio_insn {
	__u8 len;		/* bytes of the instruction */
	__u8 size;		/* bytes accessed in memory: 1, 2, 4, 8 */
	__u8 is_write;
	__u8 reg;		/* register operand, 0-15 (RAX=0 ... R15=15) */
	__u8 reg_high8;		/* 8-bit AH/CH/DH/BH (no REX, reg 4-7) */
	__u8 dst_size;		/* register width written by a read */
	__u8 ext;		/* enum mmio_ext: how a read fills dst */
	__u8 src;		/* enum mmio_src: what a write stores */
	__u8 is_stos;		/* advances RDI by size (DF=0) */
	__u8 addr_size;		/* 2, 4, 8: for STOS's RDI update */
	__u64 imm;		/* MMIO_SRC_IMM, sign-extended to 64 bits */
};

/*
 * Decode @n bytes at @b for a CPU in @mode (16, 32 or 64-bit code).
 * Returns 0, or -1 if the instruction is not one minivmm emulates
 * (or @n is too short).
 */
int mmio_decode(const __u8 *b, unsigned int n, unsigned int mode,
		struct mmio_insn *insn);

#endif /* MINIVMM_MMIO_DECODE_H */

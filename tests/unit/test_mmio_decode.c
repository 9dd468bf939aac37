// SPDX-License-Identifier: GPL-2.0
/*
 * The module's MMIO instruction decoder (kmod/mmio_decode.c), built
 * unchanged in userspace. Encodings checked against the SDM Vol. 2
 * instruction pages; each case states the instruction it encodes.
 */
#include <criterion/criterion.h>
#include "../../kmod/mmio_decode.h"

static struct mmio_insn decode_ok(const __u8 *b, unsigned int n, unsigned int mode)
{
	struct mmio_insn in;

	cr_assert_eq(mmio_decode(b, n, mode, &in), 0, "decode failed");
	return in;
}

Test(mmio_decode, mov_store_r32_64bit)
{
	/* mov [rax], ecx */
	static const __u8 b[] = { 0x89, 0x08 };
	struct mmio_insn in = decode_ok(b, sizeof(b), 64);

	cr_expect_eq(in.len, 2);
	cr_expect_eq(in.size, 4);
	cr_expect(in.is_write);
	cr_expect_eq(in.src, MMIO_SRC_REG);
	cr_expect_eq(in.reg, 1);
}

Test(mmio_decode, mov_load_rex_w_r9_disp32)
{
	/* mov r9, [rbx + 0x12345678] : REX.WR 8B /r, mod=10 rm=011 */
	static const __u8 b[] = { 0x4c, 0x8b, 0x8b, 0x78, 0x56, 0x34, 0x12 };
	struct mmio_insn in = decode_ok(b, sizeof(b), 64);

	cr_expect_eq(in.len, 7);
	cr_expect_eq(in.size, 8);
	cr_expect_not(in.is_write);
	cr_expect_eq(in.reg, 9);
	cr_expect_eq(in.dst_size, 8);
}

Test(mmio_decode, sib_with_disp8)
{
	/* mov edx, [rax + rcx*4 + 8] : 8B 54 88 08 */
	static const __u8 b[] = { 0x8b, 0x54, 0x88, 0x08 };
	struct mmio_insn in = decode_ok(b, sizeof(b), 64);

	cr_expect_eq(in.len, 4);
	cr_expect_eq(in.reg, 2);
}

Test(mmio_decode, sib_no_base_disp32)
{
	/* mov eax, [rcx*8 + 0x1000] : 8B 04 CD 00 10 00 00 */
	static const __u8 b[] = { 0x8b, 0x04, 0xcd, 0x00, 0x10, 0x00, 0x00 };

	cr_expect_eq(decode_ok(b, sizeof(b), 64).len, 7);
}

Test(mmio_decode, rip_relative)
{
	/* mov [rip + 0x10], eax : 89 05 10 00 00 00 */
	static const __u8 b[] = { 0x89, 0x05, 0x10, 0x00, 0x00, 0x00 };

	cr_expect_eq(decode_ok(b, sizeof(b), 64).len, 6);
}

Test(mmio_decode, imm32_sign_extended_to_64)
{
	/* mov qword [rdi], -2 : REX.W C7 07 FE FF FF FF */
	static const __u8 b[] = { 0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff };
	struct mmio_insn in = decode_ok(b, sizeof(b), 64);

	cr_expect_eq(in.len, 7);
	cr_expect_eq(in.size, 8);
	cr_expect_eq(in.src, MMIO_SRC_IMM);
	cr_expect_eq(in.imm, (__u64)-2);
}

Test(mmio_decode, imm16_with_operand_size_prefix)
{
	/* mov word [rax], 0x1234 : 66 C7 00 34 12 */
	static const __u8 b[] = { 0x66, 0xc7, 0x00, 0x34, 0x12 };
	struct mmio_insn in = decode_ok(b, sizeof(b), 64);

	cr_expect_eq(in.len, 5);
	cr_expect_eq(in.size, 2);
	cr_expect_eq(in.imm, 0x1234);
}

Test(mmio_decode, real_mode_disp16_and_high_byte)
{
	/* mov [0x10], ah : 88 26 10 00 (16-bit addressing, mod=00 rm=110) */
	static const __u8 b[] = { 0x88, 0x26, 0x10, 0x00 };
	struct mmio_insn in = decode_ok(b, sizeof(b), 16);

	cr_expect_eq(in.len, 4);
	cr_expect_eq(in.size, 1);
	cr_expect_eq(in.reg, 0);
	cr_expect(in.reg_high8);
}

Test(mmio_decode, rex_makes_sil_not_dh)
{
	/* mov [rax], sil : 40 88 30 */
	static const __u8 b[] = { 0x40, 0x88, 0x30 };
	struct mmio_insn in = decode_ok(b, sizeof(b), 64);

	cr_expect_eq(in.reg, 6);
	cr_expect_not(in.reg_high8);
}

Test(mmio_decode, movzx_movsx)
{
	/* movzx eax, byte [rbx] : 0F B6 03 ; movsx ecx, word [rbx] : 0F BF 0B */
	static const __u8 zx[] = { 0x0f, 0xb6, 0x03 };
	static const __u8 sx[] = { 0x0f, 0xbf, 0x0b };
	struct mmio_insn a = decode_ok(zx, sizeof(zx), 64);
	struct mmio_insn c = decode_ok(sx, sizeof(sx), 64);

	cr_expect_eq(a.size, 1);
	cr_expect_eq(a.dst_size, 4);
	cr_expect_eq(a.ext, MMIO_EXT_ZERO);
	cr_expect_eq(c.size, 2);
	cr_expect_eq(c.ext, MMIO_EXT_SIGN);
	cr_expect_eq(c.reg, 1);
}

Test(mmio_decode, moffs_and_stos)
{
	/* mov al, [0x1234] in 16-bit code : A0 34 12 ; stosd : AB */
	static const __u8 moffs[] = { 0xa0, 0x34, 0x12 };
	static const __u8 stos[] = { 0xab };
	struct mmio_insn m = decode_ok(moffs, sizeof(moffs), 16);
	struct mmio_insn s = decode_ok(stos, sizeof(stos), 32);

	cr_expect_eq(m.len, 3);
	cr_expect_eq(m.size, 1);
	cr_expect_not(m.is_write);
	cr_expect_eq(s.len, 1);
	cr_expect_eq(s.size, 4);
	cr_expect(s.is_stos);
	cr_expect_eq(s.addr_size, 4);
}

Test(mmio_decode, refuses_what_it_does_not_emulate)
{
	static const __u8 rep_stos[] = { 0xf3, 0xab };
	static const __u8 reg_form[] = { 0x89, 0xc8 };	/* mov eax, ecx */
	static const __u8 add[] = { 0x01, 0x08 };	/* add [rax], ecx */
	static const __u8 c6_not_0[] = { 0xc6, 0x08, 0x01 };
	static const __u8 truncated[] = { 0x8b, 0x80, 0x00 };
	struct mmio_insn in;

	cr_expect_neq(mmio_decode(rep_stos, sizeof(rep_stos), 64, &in), 0);
	cr_expect_neq(mmio_decode(reg_form, sizeof(reg_form), 64, &in), 0);
	cr_expect_neq(mmio_decode(add, sizeof(add), 64, &in), 0);
	cr_expect_neq(mmio_decode(c6_not_0, sizeof(c6_not_0), 64, &in), 0);
	cr_expect_neq(mmio_decode(truncated, sizeof(truncated), 64, &in), 0);
	cr_expect_neq(mmio_decode(add, 0, 64, &in), 0);
}

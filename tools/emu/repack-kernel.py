#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""repack-kernel.py STOCK_BZIMAGE OUT

Builds the "fast" emulator kernel: a bzImage with the stock real-mode setup
code whose protected-mode part is a small loader stub (tools/emu/kstub.S)
followed by the kernel's *uncompressed* vmlinux ELF, extracted from the
stock bzImage's XZ payload. It boots the very same kernel, but saves Bochs
the ~60 s (≈4.5e9 emulated instructions) of the kernel's XZ decompressor.
See kstub.S for what the stub does at boot.

Only what the boot path needs is changed in the setup header: the payload
fields, the 32-bit entry, the memory the image needs (init_size), and the
flags that would let a loader bypass the stub (64-bit/EFI entry points).
"""
import lzma
import os
import struct
import subprocess
import sys
import tempfile

# Memory layout while the stub runs (physical addresses). The kernel's
# PT_LOADs go to 0x1000000..~0x4a00000 (link-time addresses); page tables
# and the relocated stub+payload must sit above them.
PT_BASE = 0x4E00000   # 6 pages: PML4, PDPT, 4 page directories
HIGH = 0x5000000      # stub + payload are moved here before the segment copy
PAY_OFF = 0x1000      # vmlinux offset inside the protected-mode image
LOAD_ADDR = 0x100000  # where the setup code puts the protected-mode image

PT_LOAD = 1
STUB_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kstub.S")


def die(msg):
    sys.exit("repack-kernel: " + msg)


def extract_vmlinux(bz):
    """Return (setup bytes, uncompressed vmlinux) of a stock bzImage."""
    if bz[0x202:0x206] != b"HdrS":
        die("not a bzImage (no HdrS signature)")
    setup_sects = bz[0x1F1] or 4
    pm = (setup_sects + 1) * 512
    pl_off, pl_len = struct.unpack_from("<II", bz, 0x248)
    comp = bytes(bz[pm + pl_off: pm + pl_off + pl_len])
    if comp[:6] != b"\xfd7zXZ\x00":
        die("only XZ-compressed bzImages are handled (Debian's are)")
    # The payload ends with the 4-byte uncompressed size, not part of the
    # XZ stream.
    elf = bytearray(
        lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(comp[:-4]))
    if elf[:4] != b"\x7fELF" or elf[4] != 2:
        die("payload is not a 64-bit ELF")
    return bytearray(bz[:pm]), elf


def load_segments(elf):
    """PT_LOAD segments as (offset, paddr, filesz, memsz), checked against
    what the stub assumes (32-bit addresses, room below PT_BASE).

    Trailing zeros are cut from each segment's file size, in the program
    header too (the stub zeroes memsz - filesz anyway): the last segment
    holds .bss and .brk as ~23 MB of stored zeros, which would otherwise be
    loaded from the emulated CD and copied twice at every boot."""
    e_entry, e_phoff = struct.unpack_from("<QQ", elf, 0x18)
    e_phentsize, e_phnum = struct.unpack_from("<HH", elf, 0x36)
    segs = []
    for i in range(e_phnum):
        ph = e_phoff + i * e_phentsize
        p_type, _, p_off, _, p_paddr, p_filesz, p_memsz, _ = \
            struct.unpack_from("<IIQQQQQQ", elf, ph)
        if p_type == PT_LOAD:
            data = elf[p_off:p_off + p_filesz]
            p_filesz = len(data.rstrip(b"\0"))
            struct.pack_into("<Q", elf, ph + 0x20, p_filesz)
            segs.append((p_off, p_paddr, p_filesz, p_memsz))
    if not segs:
        die("vmlinux has no PT_LOAD segment")
    kend = max(p + m for _, p, _, m in segs)
    if e_entry >= 1 << 32 or kend > PT_BASE or \
            min(p for _, p, _, _ in segs) < 0x1000000:
        die("unexpected vmlinux layout: entry %#x, end %#x (stub needs "
            "a physical entry and segments in 16 MiB..%#x)"
            % (e_entry, kend, PT_BASE))
    # The stub reads the program headers from the payload at boot.
    return e_entry, segs, kend, e_phoff + e_phnum * e_phentsize


def build_stub(image_size):
    """Assemble kstub.S for this layout; return the flat binary."""
    syms = dict(HIGH=HIGH, PT_BASE=PT_BASE, PAY_OFF=PAY_OFF,
                IMAGE_DWORDS=image_size // 4)
    with tempfile.TemporaryDirectory() as t:
        obj, elf, binf = (os.path.join(t, n) for n in ("s.o", "s.elf", "s.bin"))
        cmd = ["as", "--64", "-o", obj, STUB_SRC]
        for k, v in syms.items():
            cmd[1:1] = ["--defsym", "%s=%#x" % (k, v)]
        subprocess.check_call(cmd)
        subprocess.check_call(["ld", "-m", "elf_x86_64", "-Ttext=%#x" % HIGH,
                               "-e", "_start", "-o", elf, obj])
        subprocess.check_call(["objcopy", "-O", "binary", "-j", ".text",
                               elf, binf])
        with open(binf, "rb") as f:
            return f.read()


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1:]
    with open(src, "rb") as f:
        bz = bytearray(f.read())
    setup, elf = extract_vmlinux(bz)
    entry, segs, kend, phend = load_segments(elf)

    # Only the part of the ELF the segments and the program headers (which
    # the stub reads at boot) live in is kept; the symbol and section
    # tables after it are not needed to boot.
    payload = bytes(elf[:max([o + f for o, _, f, _ in segs] + [phend])])
    image_size = (PAY_OFF + len(payload) + 4095) & ~4095
    stub = build_stub(image_size)
    if len(stub) > PAY_OFF:
        die("stub is %d bytes, more than PAY_OFF" % len(stub))
    pmimg = stub.ljust(PAY_OFF, b"\0") + payload
    pmimg = pmimg.ljust(image_size, b"\0")

    struct.pack_into("<I", setup, 0x1F4, len(pmimg) // 16)   # syssize
    struct.pack_into("<I", setup, 0x214, LOAD_ADDR)          # code32_start
    setup[0x234] = 0                     # relocatable_kernel: load at 1 MiB
    struct.pack_into("<H", setup, 0x236, 0)   # xloadflags: no 64-bit/EFI entry
    struct.pack_into("<II", setup, 0x248, 0, 0)  # payload_offset/length
    # init_size tells the boot loader how much memory from LOAD_ADDR the
    # kernel needs, so it keeps the initrd clear of the relocated image.
    struct.pack_into("<I", setup, 0x260, HIGH + image_size - LOAD_ADDR)
    struct.pack_into("<I", setup, 0x264, 0)   # handover_offset (EFI)
    struct.pack_into("<I", setup, 0x268, 0)   # kernel_info_offset

    tmp = dst + ".tmp"
    with open(tmp, "wb") as f:
        f.write(bytes(setup) + pmimg)
    os.replace(tmp, dst)
    print("repack-kernel: %s: entry %#x, %d PT_LOADs ending at %#x, "
          "stub %d bytes, image %d MiB"
          % (os.path.basename(dst), entry, len(segs), kend, len(stub),
             (len(setup) + len(pmimg)) >> 20))


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: GPL-2.0
# minivmm top-level build. `make` builds the module (against KDIR), the
# ./minivmm CLI and the guest images; `make test` runs everything CI runs.

KVER61   := 6.1.0-56-amd64
KDIR61   := /usr/src/linux-headers-$(KVER61)
# The newest Debian 12 6.12 headers installed (tools/deps.sh installs one).
KDIR612  ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*+deb12-amd64)))
# The module is built for the running kernel. Where its headers are
# missing (our CI machines run a kernel without module support), for the
# emulator's 6.1 kernel, saying so; with neither, `make module` names the
# package to install rather than guessing. KDIR=... overrides all this.
KREL     := $(shell uname -r)
KDIR_RUNNING := /lib/modules/$(KREL)/build
KDIR     ?= $(firstword $(wildcard $(KDIR_RUNNING) $(KDIR61)))

BUILD    := $(CURDIR)/build

.PHONY: all module minivmm guests clean deps test unit kbuild-check demo help exit-docs bench

all: module minivmm guests

help:
	@echo "make            build kmod/minivmm.ko (KDIR=$(KDIR)), ./minivmm, guest images"
	@echo "make test       deps, unit tests, module for 6.1 and 6.12, emulator suites"
	@echo "make demo       run the demo guests (in the Bochs emulator if no VT-x here)"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make unit       criterion unit tests only"
	@echo "make kbuild-check   build the module for 6.1 and 6.12 (W=1, no warnings)"
	@echo "make bench          exit costs per class, minivmm against KVM, in one Bochs boot"
	@echo "make exit-docs      refresh the trace excerpts of docs/exits/ from the suite's files"
	@echo "make emu SUITE=vmx|smp|novmx|smoke EMU=bochs|qemu CPUS=N   one emulator suite"
	@echo "make fuzz SECONDS=120 [SEED=N] [OPS=N] [TRACE=1]   fuzz /dev/minivmm in Bochs"
	@echo "make install [DESTDIR=] [PREFIX=/usr/local]   ./minivmm, man page, completion, udev rule"
	@echo "make uninstall [DESTDIR=] [PREFIX=/usr/local]   remove what make install installed"

module:
ifeq ($(KDIR),)
	@echo "minivmm: no kernel headers to build the module against:" >&2
	@echo "  none for the running kernel ($(KDIR_RUNNING) is missing)" >&2
	@echo "  and none for $(KVER61), the emulator's kernel." >&2
	@echo "  Install linux-headers-$(KREL) (Debian/Ubuntu: apt-get install linux-headers-$(KREL))," >&2
	@echo "  or run 'make deps' for $(KVER61), or set KDIR=/path/to/kernel/build." >&2
	@exit 1
endif
ifeq ($(origin KDIR)$(KDIR),file$(KDIR61))
ifneq ($(KREL),$(KVER61))
	@echo "minivmm: no headers for the running kernel $(KREL): building the module for $(KVER61)" >&2
	@echo "  (the emulator's kernel). For this machine: apt-get install linux-headers-$(KREL)" >&2
endif
endif
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

deps:
	tools/deps.sh

# Exit costs, minivmm against KVM in one Bochs boot (docs/performance.md).
bench:
	$(MAKE) emu EMU=bochs SUITE=bench CPUS=1 CPU_MODEL=corei7_haswell_4770 EMU_TIMEOUT=2400

# docs/exits/: the trace excerpts from tests/emu/expected/ (suite exits).
exit-docs:
	tools/exit-docs.sh

kbuild-check:
	tools/kbuild-check.sh $(KDIR61) $(or $(KDIR612),/usr/src/linux-headers-6.12-not-installed)

test:
	tools/test-all.sh

demo:
	tools/demo.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean 2>/dev/null
	rm -rf $(BUILD) minivmm
	$(MAKE) -C guest-images clean

guests:
	$(MAKE) -C guest-images


include vmm/vmm.mk
include tests/unit/unit.mk
include tools/emu/emu.mk
include tools/install.mk

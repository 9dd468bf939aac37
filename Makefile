# SPDX-License-Identifier: GPL-2.0
# minivmm top-level build. `make` builds the module (against KDIR), the
# ./minivmm CLI and the guest images; `make test` runs everything CI runs.

KVER61   := 6.1.0-56-amd64
KDIR61   := /usr/src/linux-headers-$(KVER61)
# The newest Debian 12 6.12 headers installed (tools/deps.sh installs one).
KDIR612  ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*+deb12-amd64)))
KDIR     ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) $(KDIR61))

BUILD    := $(CURDIR)/build

.PHONY: all module minivmm guests clean deps test unit kbuild-check demo help

all: module minivmm guests

help:
	@echo "make            build kmod/minivmm.ko (KDIR=$(KDIR)), ./minivmm, guest images"
	@echo "make test       deps, unit tests, module for 6.1 and 6.12, emulator suites"
	@echo "make demo       run 'minivmm info' (in the Bochs emulator if no VT-x here)"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make unit       criterion unit tests only"
	@echo "make kbuild-check   build the module for 6.1 and 6.12 (W=1, no warnings)"
	@echo "make emu SUITE=vmx|smp|novmx|smoke EMU=bochs|qemu CPUS=N   one emulator suite"
	@echo "make fuzz SECONDS=120 [SEED=N] [OPS=N] [TRACE=1]   fuzz /dev/minivmm in Bochs"
	@echo "make install [DESTDIR=] [PREFIX=/usr/local]   ./minivmm, man page, completion, udev rule"
	@echo "make uninstall [DESTDIR=] [PREFIX=/usr/local]   remove what make install installed"

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

deps:
	tools/deps.sh

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

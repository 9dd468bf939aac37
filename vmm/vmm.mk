# SPDX-License-Identifier: GPL-2.0
# The ./minivmm CLI. Everything but main.c goes into libvmm.a, so the unit
# tests (tests/unit/unit.mk) link exactly the objects the binary uses.
# `make minivmm WERROR=1` turns warnings into errors (tools/test-all.sh,
# and so CI, sets it).
#
# Libraries come from pkg-config, evaluated only when something is built
# (`=`, not `:=`), so `make demo` or `make deps` on a machine without them
# never runs pkg-config for nothing; vmm-pkgs says what is missing.

VMM_DIR		:= $(BUILD)/vmm
VMM_BIN		:= $(CURDIR)/minivmm
VMM_LIB		:= $(VMM_DIR)/libvmm.a
VMM_SRCS	:= $(wildcard vmm/*.c)
VMM_OBJS	:= $(patsubst vmm/%.c,$(VMM_DIR)/%.o,$(VMM_SRCS))
VMM_LIB_OBJS	:= $(filter-out $(VMM_DIR)/main.o,$(VMM_OBJS))

# The one version string: PACKAGE_VERSION in dkms.conf (see there why),
# parsed as kmod/Kbuild does. Every object depends on dkms.conf because
# -MMD cannot see a -D flag change.
MINIVMM_VERSION	:= $(shell sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$$/\1/p' dkms.conf)
ifeq ($(MINIVMM_VERSION),)
$(error dkms.conf: no PACKAGE_VERSION="X.Y.Z" line)
endif

# Shared with unit.mk. CC defaults to cc; VMM_OPTFLAGS can be overridden.
VMM_OPTFLAGS	?= -O2 -g
VMM_WARNFLAGS	:= -Wall -Wextra $(if $(WERROR),-Werror)
VMM_PKGS	:= libelf libcap
VMM_CPPFLAGS	= -I$(CURDIR)/include -D_GNU_SOURCE \
		  -DMINIVMM_VERSION='"$(MINIVMM_VERSION)"' \
		  $(shell pkg-config --cflags $(VMM_PKGS))
VMM_CFLAGS	:= -std=gnu11 $(VMM_OPTFLAGS) $(VMM_WARNFLAGS) -MMD -MP
VMM_LDFLAGS	:= -g
VMM_LDLIBS	= $(shell pkg-config --libs $(VMM_PKGS))

# pkg_check PKGS, DEBIAN-PACKAGES: fail with the packages to install.
define pkg_check
	@command -v pkg-config >/dev/null && pkg-config --exists $(1) || { \
		echo "minivmm: missing build dependencies: pkg-config cannot find $(1)." >&2; \
		echo "  Debian/Ubuntu: apt-get install pkg-config $(2) (or: make deps)" >&2; \
		echo "  Fedora: dnf install pkgconf elfutils-libelf-devel libcap-devel$(if $(findstring criterion,$(1)), criterion-devel)" >&2; \
		exit 1; }
endef

.PHONY: vmm-pkgs
vmm-pkgs:
	$(call pkg_check,$(VMM_PKGS),libelf-dev libcap-dev)

minivmm: $(VMM_BIN)

$(VMM_BIN): $(VMM_DIR)/main.o $(VMM_LIB)
	$(CC) $(VMM_LDFLAGS) -o $@ $^ $(VMM_LDLIBS)

$(VMM_LIB): $(VMM_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(VMM_DIR)/%.o: vmm/%.c dkms.conf | $(VMM_DIR) vmm-pkgs
	$(CC) $(VMM_CPPFLAGS) $(VMM_CFLAGS) -c -o $@ $<

$(VMM_DIR):
	@mkdir -p $@

-include $(VMM_OBJS:.o=.d)

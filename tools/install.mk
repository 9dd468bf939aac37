# SPDX-License-Identifier: GPL-2.0
# `make install` / `make uninstall` of the userspace half, honouring
# DESTDIR and PREFIX (default /usr/local):
#
#   PREFIX/bin/minivmm
#   PREFIX/share/man/man1/minivmm.1                  (@VERSION@ filled in)
#   PREFIX/share/bash-completion/completions/minivmm
#   PREFIX/lib/udev/rules.d/60-minivmm.rules         (UDEVRULESDIR)
#
# udev (Debian 12) reads rules from /usr/lib/udev/rules.d and
# /usr/local/lib/udev/rules.d, so the rule works for either PREFIX; run
# `udevadm control --reload` after installing it. Nothing here loads or
# installs the module: that is dkms' job (dkms.conf, README.md).

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
MANDIR		?= $(PREFIX)/share/man
BASHCOMPDIR	?= $(PREFIX)/share/bash-completion/completions
UDEVRULESDIR	?= $(PREFIX)/lib/udev/rules.d
INSTALL		?= install

INSTALL_MAN	:= $(BUILD)/minivmm.1

.PHONY: install uninstall

$(INSTALL_MAN): docs/minivmm.1 dkms.conf
	@mkdir -p $(@D)
	sed 's/@VERSION@/$(MINIVMM_VERSION)/g' docs/minivmm.1 >$@

install: $(VMM_BIN) $(INSTALL_MAN)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(UDEVRULESDIR)
	$(INSTALL) -m 0755 $(VMM_BIN) $(DESTDIR)$(BINDIR)/minivmm
	$(INSTALL) -m 0644 $(INSTALL_MAN) $(DESTDIR)$(MANDIR)/man1/minivmm.1
	$(INSTALL) -m 0644 tools/bash-completion/minivmm \
		$(DESTDIR)$(BASHCOMPDIR)/minivmm
	$(INSTALL) -m 0644 tools/udev/60-minivmm.rules \
		$(DESTDIR)$(UDEVRULESDIR)/60-minivmm.rules

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/minivmm \
		$(DESTDIR)$(MANDIR)/man1/minivmm.1 \
		$(DESTDIR)$(BASHCOMPDIR)/minivmm \
		$(DESTDIR)$(UDEVRULESDIR)/60-minivmm.rules

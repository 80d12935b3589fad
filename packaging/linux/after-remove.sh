#!/bin/bash
# deb/rpm post-remove for PPTP Manager: removes what after-install.sh added, only on a real
# removal: deb passes "remove"/"purge" ("upgrade" otherwise); rpm passes the number of versions
# left (0 on removal; on upgrade rpm runs the NEW %post before the OLD %postun).
case "${1:-remove}" in
  remove|purge|0) ;;
  *) exit 0 ;;
esac
rm -f '/usr/bin/${executable}'
rm -f /usr/lib/pptp-manager/pptp-manager-service
rmdir /usr/lib/pptp-manager 2>/dev/null || true
rm -f /usr/share/polkit-1/actions/org.pptpmanager.policy
if [ -f '/etc/apparmor.d/${executable}' ]; then
  if hash apparmor_parser 2>/dev/null; then apparmor_parser --remove '/etc/apparmor.d/${executable}' 2>/dev/null || true; fi
  rm -f '/etc/apparmor.d/${executable}'
fi
if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi
exit 0

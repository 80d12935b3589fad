#!/bin/bash
# deb/rpm post-install for PPTP Manager (electron-builder fills in ${executable} and
# ${sanitizedProductName}, already quoted for single quotes). Does what electron-builder's own
# script does (command link, chrome-sandbox mode, desktop database, AppArmor profile), then
# installs the privileged pieces: the root-owned service launcher and the polkit action.
set -e
APP_DIR='/opt/${sanitizedProductName}'

# Command on PATH.
ln -sf "$APP_DIR/${executable}" '/usr/bin/${executable}'

# Chromium sandbox helper: setuid only where unprivileged user namespaces do not work.
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 "$APP_DIR/chrome-sandbox" || true
else
  chmod 4755 "$APP_DIR/chrome-sandbox" || true
fi

# Tunnel service launcher (pkexec target), root-owned and not writable by anyone else.
install -d -m 0755 -o root -g root /usr/lib/pptp-manager
sed "s|@APP_DIR@|$APP_DIR|" "$APP_DIR/resources/pptp-manager-service" > /usr/lib/pptp-manager/pptp-manager-service.new
chown root:root /usr/lib/pptp-manager/pptp-manager-service.new
chmod 0755 /usr/lib/pptp-manager/pptp-manager-service.new
mv -f /usr/lib/pptp-manager/pptp-manager-service.new /usr/lib/pptp-manager/pptp-manager-service

# polkit action for it.
install -d -m 0755 /usr/share/polkit-1/actions
install -m 0644 -o root -g root "$APP_DIR/resources/polkit/org.pptpmanager.policy" /usr/share/polkit-1/actions/org.pptpmanager.policy

# The app's files must not be writable by users: the launcher runs them as root.
chown -R root:root "$APP_DIR" || true
chmod -R go-w "$APP_DIR" || true

if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24+: Electron needs an AppArmor profile for user namespaces (if one was packaged).
PROFILE_SRC="$APP_DIR/resources/apparmor-profile"
if [ -f "$PROFILE_SRC" ] && apparmor_status --enabled >/dev/null 2>&1 && hash apparmor_parser 2>/dev/null; then
  if apparmor_parser --skip-kernel-load --debug "$PROFILE_SRC" >/dev/null 2>&1; then
    cp -f "$PROFILE_SRC" '/etc/apparmor.d/${executable}'
    apparmor_parser --replace --write-cache --skip-read-cache '/etc/apparmor.d/${executable}' || true
  fi
fi
exit 0

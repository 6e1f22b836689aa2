#!/usr/bin/env bash
# Installs the Debian package on a fresh Debian 12 (a debootstrap'd chroot, so nothing is
# installed on this machine) and runs it there: `apt install ./logleaks_*.deb`, then
# `logleaks scan /var/log/nginx`, and the scheduled scan as the logleaks user against a log that
# only root and the adm group can read, as nginx writes them. Needs root, debootstrap and the
# network (Debian mirrors); takes a few minutes, so it is not part of .ci/run.
# Usage: scripts/fresh-debian-check.sh path/to/logleaks_*.deb [CHROOT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."

deb=$(realpath "$1")
chroot_dir=${2:-$(mktemp -d)/debian}
if [ ! -x "$chroot_dir/bin/sh" ]; then
    debootstrap --variant=minbase bookworm "$chroot_dir" http://deb.debian.org/debian >/dev/null
fi
cp "$deb" "$chroot_dir/root/"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
mkdir -p "$chroot_dir/var/log/nginx"
cp fixtures/nginx/access.log "$chroot_dir/var/log/nginx/access.log"

# A private mount namespace, so /proc of the chroot is gone with it.
unshare --mount bash -c '
    set -euo pipefail
    mount -t proc proc "$1/proc"
    chroot "$1" /bin/bash -c "
        set -euo pipefail
        export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin
        apt-get update -qq
        apt-get install -y -qq --reinstall ./root/$(basename "$2") >/dev/null
        chown root:adm /var/log/nginx/access.log && chmod 0640 /var/log/nginx/access.log
        status=0; logleaks scan /var/log/nginx --no-config >/dev/null || status=\$?
        [ \$status = 1 ] || { echo \"scan exited \$status\"; exit 1; }
        id logleaks | grep -q \"(adm)\" || { echo \"logleaks is not in adm: \$(id logleaks)\"; exit 1; }
        [ \"\$(systemctl is-enabled logleaks.timer || true)\" = disabled ] || { echo \"timer enabled\"; exit 1; }
        dpkg-query -W -f=\"\\\${Conffiles}\" logleaks | grep -q /etc/logleaks/logleaks.toml
        install -d -o logleaks -g logleaks -m 0750 /var/lib/logleaks
        status=0
        STATE_DIRECTORY=/var/lib/logleaks setpriv --reuid=logleaks --regid=logleaks --init-groups \
            /usr/libexec/logleaks/scheduled-scan /var/log/nginx /var/log/apache2 || status=\$?
        [ \$status = 1 ] || { echo \"scheduled scan exited \$status\"; exit 1; }
        [ -s /var/lib/logleaks/state.json ] && [ -s /var/lib/logleaks/findings.jsonl ]
        echo \"fresh Debian: installed, scanned, scheduled scan as logleaks: \$(wc -l </var/lib/logleaks/findings.jsonl) findings\"
    "
' check "$chroot_dir" "$deb"

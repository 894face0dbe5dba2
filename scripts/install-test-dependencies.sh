#!/usr/bin/env bash
# Installs the Debian packages whose servers the integration tests start (PostgreSQL, OpenSSH),
# only when missing. Idempotent; called by ./test.sh, so a fresh machine needs no manual step.
set -euo pipefail

missing() {
    need=()
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need+=(postgresql)
    [ -x /usr/sbin/sshd ] || need+=(openssh-server)
    command -v ssh-keygen >/dev/null || need+=(openssh-client)
}
missing
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-test-dependencies: need root to install: ${need[*]} (sudo apt-get install ${need[*]})" >&2
    exit 1
fi

# Two clones testing at once on a fresh machine both found the packages missing and raced on apt's lock: one installs
# while the other waits here, then looks again.
exec 9>/var/lock/gevent-test-dependencies.lock
flock 9
missing
[ ${#need[@]} -eq 0 ] && exit 0

echo "install-test-dependencies: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
# Another program (unattended upgrades) may hold apt's own locks: wait for them rather than fail.
apt-get -o DPkg::Lock::Timeout=600 update -qq
# No service may start here (the tests start their own servers on free loopback ports): a temporary
# policy-rc.d tells the packages' scripts so, unless the machine already has a policy of its own.
policy=/usr/sbin/policy-rc.d
added_policy=false
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    added_policy=true
fi
trap '$added_policy && rm -f "$policy"' EXIT
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null

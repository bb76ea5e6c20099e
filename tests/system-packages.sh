#!/usr/bin/env bash
# Debian packages the tests use, installed where this machine allows it (root with apt-get):
#   postgresql               the history store's tests start a real server (initdb/pg_ctl)
#   chromium chromium-driver the report is checked in headless Chromium
# Never fails: without them those tests say they were skipped and why.
set -uo pipefail
missing=()
if ! command -v pg_ctl >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
    missing+=(postgresql)
fi
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-packages: ${missing[*]} not installed (needs root and apt-get): their tests will be skipped" >&2
    exit 0
fi
# Install only: no PostgreSQL cluster started by the package (the tests start their own).
own_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    own_policy=1
fi
echo "system-packages: installing ${missing[*]}" >&2
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || echo "system-packages: could not install ${missing[*]}: their tests will be skipped" >&2
if [ "$own_policy" -eq 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
exit 0

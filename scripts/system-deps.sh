#!/usr/bin/env bash
# Installs the Debian packages the test suites need (pcscd + vpcd + OpenSC for the real-stack tests,
# Chromium + CJK fonts for the browser tests, systemd-analyze and cage for the check of the deploy/ units,
# which verifies that their programs exist). Needs root and Debian's apt; otherwise it says what is missing
# and returns non-zero, and scripts/test.sh decides whether that skips or fails.
set -uo pipefail

PACKAGES=(pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools opensc opensc-pkcs11 chromium fonts-noto-cjk gcc libc6-dev systemd cage)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "[system-deps] missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "[system-deps] installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/kiosk-apt.log 2>&1
rc=$?
[ $rc -ne 0 ] && { tail -20 /tmp/kiosk-apt.log >&2; echo "[system-deps] apt-get failed" >&2; }
exit $rc

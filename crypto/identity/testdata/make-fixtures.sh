#!/bin/sh
# Regenerates the GnuPG-made fixtures in this directory (see README.md).
# Run from this directory: sh make-fixtures.sh   (needs gpg 2.2 or later)
set -eu
PASS=sealroom-fixture
export GNUPGHOME="$(mktemp -d)"
trap 'gpgconf --kill gpg-agent; rm -rf "$GNUPGHOME"' EXIT
g() { gpg --batch --yes --pinentry-mode loopback --passphrase "$PASS" "$@"; }
fpr() { gpg --with-colons --list-keys "$1" | awk -F: '$1=="fpr"{print $10; exit}'; }

printf 'Fixture message signed and encrypted by GnuPG.\n' > message.txt

# 1. ed25519 primary (sign) + cv25519 subkey (encr), no expiry.
g --quick-gen-key 'Fixture Ed25519 <ed25519@example.test>' ed25519 sign 0
F=$(fpr ed25519@example.test)
g --quick-add-key "$F" cv25519 encr 0
g --armor --export "$F" > ed25519.pub.asc
g --armor --export-secret-keys "$F" > ed25519.sec.asc
g --local-user "$F" --digest-algo SHA256 --detach-sign --output ed25519.sig message.txt
g --recipient "$F" --trust-model always --output ed25519.msg.gpg --encrypt message.txt

# 2. gpg's default key (future-default: ed25519 + cv25519 in 2.2).
g --quick-gen-key 'Fixture Default <default@example.test>' future-default default 0
F=$(fpr default@example.test)
g --armor --export "$F" > default.pub.asc
g --armor --export-secret-keys "$F" > default.sec.asc

# 3. A key that expired: made on 2024-01-01 with a one-year lifetime; it
# signed the message on 2024-03-01, while it was valid.
g --faked-system-time 20240101T000000 --quick-gen-key 'Fixture Expired <expired@example.test>' ed25519 sign 2024-12-31
F=$(fpr expired@example.test)
g --faked-system-time 20240101T000100 --quick-add-key "$F" cv25519 encr 2024-12-31
g --faked-system-time 20240301T000000 --ignore-time-conflict --local-user "$F" --digest-algo SHA256 --detach-sign --output expired.sig message.txt
g --armor --export "$F" > expired.pub.asc

# 4. A revoked key: it signed the message, then its revocation certificate
# (the one gpg writes at key generation; reason: none given) was imported.
g --quick-gen-key 'Fixture Revoked <revoked@example.test>' ed25519 sign 0
F=$(fpr revoked@example.test)
g --quick-add-key "$F" cv25519 encr 0
g --local-user "$F" --digest-algo SHA256 --detach-sign --output revoked.sig message.txt
sed 's/^:-----BEGIN/-----BEGIN/' "$GNUPGHOME/openpgp-revocs.d/$F.rev" > "$GNUPGHOME/rev.asc"
g --import "$GNUPGHOME/rev.asc"
g --armor --export "$F" > revoked.pub.asc

gpg --version | head -1 > gpg-version.txt

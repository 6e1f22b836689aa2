#!/usr/bin/env bash
# Builds the Debian package: the dist binary (LTO, stripped), its man pages and completion scripts
# (`logleaks package-files`), then `cargo deb` around them. Prints the path of the .deb.
# Needs cargo-deb (`cargo install --locked cargo-deb`) and dpkg tools.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
cargo build --locked --profile dist >&2
rm -rf "$target/dist/package-files"
"$target/dist/logleaks" package-files "$target/dist/package-files"
# Debian ships man pages compressed (cargo-deb leaves built files as they are).
gzip -9n "$target/dist/package-files/man/"*.1
rm -f "$target"/debian/logleaks_*.deb
cargo deb --locked --no-build --profile dist --output "$target/debian/" >&2
ls "$target"/debian/logleaks_*.deb

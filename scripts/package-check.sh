#!/usr/bin/env bash
# Builds the Debian package (dist profile) and checks it without installing it on this machine:
# the package is extracted with dpkg-deb -x into a temporary root, and everything in it is run or
# read from there. Run by .ci/run; each step prints its time. Needs dpkg-deb, systemd-analyze
# (installed with apt-get when missing) and cargo-deb (installed with cargo when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target="$PWD/$target" ;; esac
step_started=$SECONDS
step() {
    echo "package-check: $1 ($((SECONDS - step_started)) s since the last step)"
    step_started=$SECONDS
}
die() {
    echo "package-check: FAILED: $*" >&2
    exit 1
}

# --- Tools ---------------------------------------------------------------------------------------
if ! cargo deb --version >/dev/null 2>&1; then
    echo "package-check: installing cargo-deb"
    cargo install --locked cargo-deb
    step "cargo-deb installed"
fi
if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "package-check: installing systemd (for systemd-analyze)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null \
        || die "systemd-analyze is missing and apt-get could not install systemd"
    step "systemd installed"
fi

# --- Build: one dist build serves the package and every check below ------------------------------
deb=$(scripts/build-deb.sh)
step "packaged $(basename "$deb") ($(stat -c %s "$deb") bytes)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
dpkg-deb -I "$deb" >"$root/control.txt"
bin="$root/usr/bin/logleaks"

# --- Contents and control data -------------------------------------------------------------------
for file in usr/bin/logleaks usr/share/man/man1/logleaks.1.gz \
    usr/share/bash-completion/completions/logleaks usr/share/zsh/vendor-completions/_logleaks \
    usr/share/fish/vendor_completions.d/logleaks.fish etc/logleaks/logleaks.toml \
    usr/share/doc/logleaks/examples/logleaks.toml usr/share/doc/logleaks/README.md \
    usr/share/doc/logleaks/copyright usr/lib/systemd/system/logleaks.service \
    usr/lib/systemd/system/logleaks.timer usr/lib/sysusers.d/logleaks.conf \
    usr/libexec/logleaks/scheduled-scan; do
    [ -f "$root/$file" ] || die "the package has no /$file"
done
dpkg-deb -e "$deb" "$root/DEBIAN"
grep -qx /etc/logleaks/logleaks.toml "$root/DEBIAN/conffiles" \
    || die "/etc/logleaks/logleaks.toml is not a conffile"
grep -q '^ Depends:.*libc6' "$root/control.txt" || die "no libc6 dependency: $(cat "$root/control.txt")"
grep -q 'systemd-sysusers.* logleaks.conf' "$root/DEBIAN/postinst" \
    || die "postinst does not create the logleaks user"
# Installed disabled: postinst enables the timer only where it was enabled before (an upgrade).
grep -v 'deb-systemd-helper enable' "$root/DEBIAN/postinst" >"$root/postinst-rest.txt" || true
if grep -q 'systemctl.*enable\|deb-systemd-invoke start\|was-enabled defaults to true' "$root/postinst-rest.txt"; then
    die "postinst enables or starts the timer on a new installation"
fi
step "contents checked"

# --- The packaged binary on the fixtures ---------------------------------------------------------
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
[ "$("$bin" --version)" = "logleaks $version" ] || die "packaged --version: $("$bin" --version)"
status=0
"$bin" scan --config "$root/etc/logleaks/logleaks.toml" --format jsonl --now 2025-11-27 \
    --no-progress fixtures/ >"$root/findings.jsonl" 2>"$root/stderr.txt" || status=$?
[ "$status" = 1 ] || die "packaged scan of fixtures/ exited $status: $(cat "$root/stderr.txt")"
expected=$(grep -c '^| `' fixtures/README.md)
found=$(wc -l <"$root/findings.jsonl")
[ "$found" = "$expected" ] || die "packaged scan found $found findings, fixtures/README.md lists $expected"
grep -q "using config $root/etc/logleaks/logleaks.toml (0 custom rules)" "$root/stderr.txt" \
    || die "the shipped config was not used as it is: $(cat "$root/stderr.txt")"
# The sample config loads with every example uncommented, and its example rule is listed.
sed -e '/^##/d' -e 's/^# //' "$root/usr/share/doc/logleaks/examples/logleaks.toml" >"$root/uncommented.toml"
"$bin" rules --config "$root/uncommented.toml" >"$root/rules.txt" 2>&1 \
    || die "the sample config with its examples uncommented is refused: $(cat "$root/rules.txt")"
grep -q acme-internal-key "$root/rules.txt" || die "the sample config's example rule is not listed"
step "packaged binary scanned fixtures/ ($found findings)"

# --- Man pages: every subcommand and every flag that --help lists --------------------------------
subcommands=$("$bin" --help | sed -n '/^Commands:/,/^$/p' | awk '/^  [a-z]/ && $1 != "help" {print $1}')
[ -n "$subcommands" ] || die "no subcommand in --help"
flags_of() { "$bin" "$@" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
# The text of a man page with roff's \- as -, in a file (grep -q on a pipe would cut it short).
man_text() { zcat "$root/usr/share/man/man1/$1.1.gz" | sed 's/\\-/-/g' >"$root/$1.txt"; echo "$root/$1.txt"; }
top=$(man_text logleaks)
for flag in $(flags_of); do
    grep -qF -- "$flag" "$top" || die "logleaks.1 lacks $flag"
done
for sub in $subcommands; do
    grep -qw -- "$sub" "$top" || die "logleaks.1 does not list $sub"
    [ -f "$root/usr/share/man/man1/logleaks-$sub.1.gz" ] || die "no man page logleaks-$sub.1"
    page=$(man_text "logleaks-$sub")
    for flag in $(flags_of "$sub"); do
        grep -qF -- "$flag" "$page" || die "logleaks-$sub.1 lacks $flag"
    done
done
step "man pages list every subcommand and flag ($(echo "$subcommands" | wc -w) subcommands)"

# --- Completions: every subcommand -------------------------------------------------------------
# bash: run the completion function as bash would for `logleaks <TAB>` and `logleaks scan --<TAB>`.
bash_complete() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}; _logleaks logleaks "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
        printf "%s\n" "${COMPREPLY[@]}"' complete \
        "$root/usr/share/bash-completion/completions/logleaks" "$@"
}
offered=$(bash_complete logleaks "")
for sub in $subcommands; do
    grep -qx -- "$sub" <<<"$offered" || die "bash completion does not offer $sub: $offered"
    grep -qw -- "$sub" "$root/usr/share/zsh/vendor-completions/_logleaks" || die "zsh completion lacks $sub"
    grep -q -- "-a \"$sub\"" "$root/usr/share/fish/vendor_completions.d/logleaks.fish" \
        || die "fish completion lacks $sub"
done
offered=$(bash_complete logleaks scan --sh)
grep -qx -- --show-secrets <<<"$offered" || die "bash does not complete scan --show-secrets: $offered"
step "completions offer every subcommand"

# --- systemd units ------------------------------------------------------------------------------
# verify checks that ExecStart exists on this machine: run it in a private mount namespace where
# /usr/libexec is the package's (nothing is installed here).
unshare_flags=(--mount)
[ "$(id -u)" = 0 ] || unshare_flags+=(--map-root-user)
units="$root/usr/lib/systemd/system"
unshare "${unshare_flags[@]}" bash -c '
    set -euo pipefail
    root=$1 units=$2
    mount --bind "$root/usr/libexec" /usr/libexec
    # verify exits 0 on an unknown or misspelt setting, and only warns: any word fails here.
    report=$(systemd-analyze verify --man=no "$units/logleaks.service" "$units/logleaks.timer" 2>&1)
    [ -z "$report" ] || { echo "$report"; exit 1; }
    # The hardening stays where it is: "exposure" 0.9 today; fail if it rises above 2.
    systemd-analyze security --offline=true --threshold=20 --no-pager "$units/logleaks.service" | tail -n 1
' verify "$root" "$units" || die "systemd-analyze rejects the units"
grep -qx 'ExecStart=/usr/libexec/logleaks/scheduled-scan /var/log/nginx /var/log/apache2' \
    "$units/logleaks.service" || die "the service does not scan /var/log/nginx and /var/log/apache2"
systemd-sysusers --dry-run --root="$root" "$root/usr/lib/sysusers.d/logleaks.conf" \
    >"$root/sysusers.txt" 2>&1 || die "sysusers.d: $(cat "$root/sysusers.txt")"
grep -q "Creating user 'logleaks'" "$root/sysusers.txt" || die "sysusers.d: $(cat "$root/sysusers.txt")"
step "systemd units and sysusers.d verified"

# --- The scheduled scan, as the service runs it, on a copy of the fixtures --------------------------
# Each run reads only what was added since the last one (--state) and appends its findings; a
# directory that does not exist (no Apache here) is left out.
logs="$root/var-log" state="$root/var-lib-logleaks"
mkdir -p "$logs/nginx" "$state"
cp fixtures/nginx/access.log "$logs/nginx/"
scheduled() {
    status=0
    LOGLEAKS="$bin" LOGLEAKS_CONFIG="$root/etc/logleaks/logleaks.toml" STATE_DIRECTORY="$state" \
        "$root/usr/libexec/logleaks/scheduled-scan" "$logs/nginx" "$logs/apache2" \
        2>"$root/journal.txt" || status=$?
    echo "$status $(wc -l <"$state/findings.jsonl")"
}
first=$(grep -c '^| `nginx/' fixtures/README.md)
run=$(scheduled)
[ "$run" = "1 $first" ] || die "first scheduled run (status, findings): $run; $(cat "$root/journal.txt")"
grep -q "^logleaks: $first findings" "$root/journal.txt" || die "no summary line: $(cat "$root/journal.txt")"
[ -s "$state/state.json" ] || die "the scheduled scan wrote no state"
run=$(scheduled)
[ "$run" = "0 $first" ] || die "a run with nothing new (status, findings): $run; $(cat "$root/journal.txt")"
sed -n 5p fixtures/nginx/access.log >>"$logs/nginx/access.log"
run=$(scheduled)
[ "$run" = "1 $((first + 1))" ] || die "one new leak (status, findings): $run; $(cat "$root/journal.txt")"
step "scheduled scan reports each leak once"

# --- crates.io --------------------------------------------------------------------------------
cargo publish --locked --dry-run
step "cargo publish --dry-run"

# --- The GitHub Action's script -----------------------------------------------------------------
LOGLEAKS="$bin" scripts/action-check.sh
step "action script checked"
echo "package-check: all checks passed"

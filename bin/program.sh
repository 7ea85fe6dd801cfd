# Sourced by the bin/ shims: finds the buildpack's Go program, or builds
# it, and sets PROGRAM to its path. Only what must happen before any Go
# program exists is done here; the program owns the cache once it runs.
#
# A program runs only when it is known to be the buildpack's:
#   - the prebuilt release binary for this platform, when the sources of
#     the runtime program match the pins in bin/pins.sh (written by the
#     release command): the one shipped in bin/.program/, else the one
#     cached in CACHE_DIR/go/program/, else the one downloaded from the
#     release (GOBUILDPACK_PROGRAM_URL replaces the URL template; "off"
#     builds from source instead). Each is checked against its pinned
#     SHA-256 before it runs; one that does not match is refused and the
#     program is built from source instead.
#   - a program built here from these sources, whose SHA-256 was recorded
#     beside it when it was built and matches before every run. Anything
#     else found there is removed and built again.
#
# The program is built from source (a fork, a local edit, a release that
# could not be fetched) once per version of the sources: with a go on PATH
# if it is new enough (go.mod's go line), else with the bootstrap
# toolchain pinned in bin/pins.sh, fetched from GOPROXY (then
# GO_TOOLCHAIN_PROXY) into CACHE_DIR/go/bootstrap/, checked against its
# pinned SHA-256, and removed with the build's caches once the program is
# built. The buildpack's own modules come from GOPROXY, then
# GO_TOOLCHAIN_PROXY, and are verified by the buildpack's go.sum. Of the
# config vars in ENV_DIR, only those two are read here.
#
# Nothing here writes through a symlink: the directories it writes in are
# made real directories first, the lock is opened to append (never
# truncated, never written), and files are written in fresh temporary
# directories that are renamed into place.

bp_dir=${bp_dir:?}

# The pins: program_source, program_toolchain, program_url,
# program_sha256_PLATFORM, program_packages, bootstrap_version and
# bootstrap_sha256_PLATFORM (PLATFORM as linux_amd64).
if [[ -f $bp_dir/bin/pins.sh ]]; then
  # shellcheck source=bin/pins.sh
  source "$bp_dir/bin/pins.sh"
fi

# Bounds of the downloads: the prebuilt program (a few MB) is given up on
# quickly, as building from source is the fallback; the bootstrap
# toolchain (about 70 MB) gets longer.
program_max_bytes=$((64 << 20))
program_max_seconds=${GOBUILDPACK_PROGRAM_TIMEOUT:-120}
toolchain_max_bytes=$((1 << 30))
toolchain_max_seconds=900

# redact hides the userinfo of every URL in its input, by the rule of the
# buildpack's program (internal/secret): scheme://TOKEN@host and
# scheme://user:password@host both become scheme://xxxxx@host.
redact() {
  sed -E 's|://[^/?#[:space:]]*@|://xxxxx@|g'
}

# source_keys sets the two keys of the sources, as internal/release
# computes them: build_key over go.mod, go.sum and every non-test Go file
# under cmd/ and internal/, which names a program built from source, and
# release_key over go.mod, go.sum and the non-test Go files of the runtime
# program's packages (program_packages), which a release is pinned by.
# Each is the first 32 hex digits of the SHA-256 of the sha256sum lines of
# its files, sorted bytewise by path.
source_keys() {
  local lines line path
  lines=$(
    cd "$bp_dir" || exit 1
    { find cmd internal -name '*.go' ! -name '*_test.go' -type f -print0; printf '%s\0' go.mod go.sum; } |
      LC_ALL=C sort -z | xargs -0 sha256sum
  ) || return 1
  build_key=$(printf '%s\n' "$lines" | sha256sum | cut -c1-32)
  release_key=$(
    while IFS= read -r line; do
      path=${line#*  }
      case $path in
        */*) case " ${program_packages:-} " in *" ${path%/*} "*) ;; *) continue ;; esac ;;
      esac
      printf '%s\n' "$line"
    done <<<"$lines" | sha256sum | cut -c1-32
  )
}

# pin NAME PLATFORM prints the pin NAME_PLATFORM of bin/pins.sh
# (program_sha256, bootstrap_sha256), or nothing.
pin() {
  local name="$1_${2//-/_}"
  [[ $name =~ ^[a-z0-9_]+$ ]] || return 0
  printf '%s' "${!name:-}"
}

# sha256_of FILE prints the SHA-256 of FILE.
sha256_of() {
  sha256sum <"$1" | cut -d' ' -f1
}

# now_us prints the time in microseconds (in whole seconds where bash has
# no EPOCHREALTIME).
now_us() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    echo "${EPOCHREALTIME/[.,]/}"
  else
    echo "$((SECONDS * 1000000))"
  fi
}

# done_in START_US: the line that ends a step, as the buildpack's program
# prints it: "done in 0.42s", "12.3s", "1m05s".
done_in() {
  local us=$(($(now_us) - $1)) s
  if ((us < 10000000)); then
    printf '       done in %d.%02ds\n' $((us / 1000000)) $((us % 1000000 / 10000))
  elif ((us < 60000000)); then
    printf '       done in %d.%ds\n' $((us / 1000000)) $((us % 1000000 / 100000))
  else
    s=$(((us + 500000) / 1000000))
    printf '       done in %dm%02ds\n' $((s / 60)) $((s % 60))
  fi
}

# go_platform prints this machine's platform as Go names it: linux-amd64.
go_platform() {
  local os arch
  os=$(uname -s | tr '[:upper:]' '[:lower:]')
  case $(uname -m) in
    x86_64 | amd64) arch=amd64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch="unsupported-$(uname -m)" ;;
  esac
  echo "$os-$arch"
}

# config_var NAME DEFAULT: GOPROXY or GO_TOOLCHAIN_PROXY from ENV_DIR.
config_var() {
  case $1 in GOPROXY | GO_TOOLCHAIN_PROXY) ;; *) return 1 ;; esac
  if [[ -n "$ENV_DIR_FOR_PROGRAM" && -f "$ENV_DIR_FOR_PROGRAM/$1" ]]; then
    cat "$ENV_DIR_FOR_PROGRAM/$1"
  else
    echo "$2"
  fi
}

# proxy_urls prints the proxy base URLs of GOPROXY, one a line, as the
# buildpack's program reads the list: "direct" skipped, "off" ends it,
# https:// added where no scheme is given, no trailing slash.
proxy_urls() {
  local list entry entries
  list=$(config_var GOPROXY "${GOPROXY:-}")
  [[ -n ${list// /} ]] || list=https://proxy.golang.org
  IFS=',|' read -ra entries <<<"$list"
  for entry in "${entries[@]}"; do
    entry=${entry#"${entry%%[![:space:]]*}"}
    entry=${entry%"${entry##*[![:space:]]}"}
    case $entry in
      "" | direct | noproxy) continue ;;
      off) break ;;
    esac
    [[ $entry == *://* ]] || entry="https://$entry"
    while [[ $entry == */ ]]; do entry=${entry%/}; done
    echo "$entry"
  done
}

# fallback_proxy prints the proxy that serves what GOPROXY does not (the
# GO_TOOLCHAIN_PROXY config var, default the public proxy), or nothing when
# it is off.
fallback_proxy() {
  local p
  p=$(config_var GO_TOOLCHAIN_PROXY https://proxy.golang.org)
  p=${p#"${p%%[![:space:]]*}"}
  p=${p%"${p##*[![:space:]]}"}
  [[ -n $p ]] || p=https://proxy.golang.org
  [[ $p != off ]] || return 0
  [[ $p == *://* ]] || p="https://$p"
  while [[ $p == */ ]]; do p=${p%/}; done
  echo "$p"
}

# buildpack_proxies prints the proxies the buildpack's own downloads (the
# bootstrap toolchain, the program's modules) come from: GOPROXY's, then
# the fallback proxy, each once.
buildpack_proxies() {
  local fallback
  fallback=$(fallback_proxy)
  proxy_urls
  if [[ -n $fallback ]] && ! proxy_urls | grep -qxF -- "$fallback"; then
    echo "$fallback"
  fi
}

# insecure_credentials URL: true when URL would send credentials over plain
# HTTP, which the go command refuses ("refusing to pass credentials to
# insecure URL"), and so does this buildpack.
insecure_credentials() {
  [[ $1 =~ ^http://[^/?#]*@ ]]
}

# fetch URL FILE MAX_BYTES MAX_SECONDS: downloads URL into FILE with curl,
# bounded in size and time. Redirects are followed, but never from https
# to http, and curl sends credentials only to the host and port they were
# given for. On failure, FILE.err holds curl's one-line reason.
fetch() {
  local url=$1 file=$2 max_bytes=$3 max_seconds=$4 redir='=https'
  if insecure_credentials "$url"; then
    echo "refusing to pass credentials to an insecure (http://) URL" >"$file.err"
    return 1
  fi
  [[ $url != http://* ]] || redir='=http,https'
  curl -fsSL --proto '=http,https' --proto-redir "$redir" --max-redirs 10 \
    --connect-timeout 5 --max-time "$max_seconds" --max-filesize "$max_bytes" \
    --speed-limit 1024 --speed-time 30 \
    -o "$file" "$url" 2>"$file.err" && return 0
  local code=$?
  case $code in
    1) echo "refusing a redirect from https to http: $(paste -sd' ' "$file.err")" >"$file.err.2" ;;
    28) echo "gave up after ${max_seconds}s: $(paste -sd' ' "$file.err")" >"$file.err.2" ;;
    63) echo "larger than the $((max_bytes >> 20)) MiB a download may be: $(paste -sd' ' "$file.err")" >"$file.err.2" ;;
    *) paste -sd' ' "$file.err" >"$file.err.2" ;;
  esac
  mv -f "$file.err.2" "$file.err"
  rm -f "$file"
  return "$code"
}

# own_dir DIR: makes DIR a directory of its own, so that nothing written
# below it lands outside the cache: a symlink or a file there is removed
# first.
own_dir() {
  if [[ -L $1 || (-e $1 && ! -d $1) ]]; then
    rm -f -- "$1"
  fi
  mkdir -p -- "$1"
}

# lock_dir DIR: takes the exclusive lock of DIR on fd 9: DIR/.lock, the
# file the buildpack's program (internal/prebuilt) locks too. A symlink
# there is removed first, and the file is opened to append: the lock never
# truncates or writes any file.
lock_dir() {
  local lock=$1/.lock
  if [[ -L $lock || (-e $lock && ! -f $lock) ]]; then
    rm -rf -- "$lock"
  fi
  exec 9>>"$lock"
  flock 9
}

# unlock releases the lock lock_dir took.
unlock() {
  exec 9>&-
}

# recorded_program DIR: true when DIR/buildpack is the program this
# buildpack built there: its SHA-256 is the one recorded beside it, in
# DIR/buildpack.sha256, when it was built. Symlinks are never taken.
recorded_program() {
  local dir=$1 want=""
  [[ -d $dir && ! -L $dir && -f $dir/buildpack && ! -L $dir/buildpack && -x $dir/buildpack &&
    -f $dir/buildpack.sha256 && ! -L $dir/buildpack.sha256 ]] || return 1
  read -r want <"$dir/buildpack.sha256" || true
  [[ $want =~ ^[0-9a-f]{64}$ && $(sha256_of "$dir/buildpack") == "$want" ]]
}

# suitable_go prints the path of a go on PATH that can build the program.
suitable_go() {
  local go want have
  go=$(command -v go) || return 1
  want=$(sed -n 's/^go \([0-9]*\)\.\([0-9]*\).*/\2/p' "$bp_dir/go.mod")
  have=$(GOTOOLCHAIN=local "$go" env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  [[ -n "$have" && -n "$want" && "$have" -ge "$want" ]] || return 1
  echo "$go"
}

# refuse WHAT ACTUAL_SHA PLATFORM PINNED_SHA: the SECURITY ERROR for a
# prebuilt program that does not match its pin.
refuse() {
  {
    echo " !     SECURITY ERROR: $1 does NOT match the SHA-256 pinned in bin/pins.sh."
    echo " !       $1: sha256:$2"
    echo " !       bin/pins.sh program_sha256_${3//-/_}: sha256:$4"
    echo " !     It was not run. The buildpack is built from source instead."
  } >&2
}

# prebuilt_program CACHE_DIR KEY PLATFORM SHA: sets PROGRAM to the
# prebuilt program for PLATFORM if one matching SHA is shipped, cached or
# can be downloaded; fails otherwise.
prebuilt_program() {
  local cache_dir=$1 key=$2 platform=$3 sha=$4 shipped programs dir url tmp start got
  shipped="$bp_dir/bin/.program/buildpack-$platform"
  if [[ -e $shipped ]]; then
    got=$(sha256_of "$shipped")
    if [[ $got == "$sha" ]]; then
      PROGRAM=$shipped
      return 0
    fi
    refuse "the program shipped in bin/.program/buildpack-$platform" "$got" "$platform" "$sha"
    return 1
  fi
  programs="$cache_dir/go/program"
  dir="$programs/release-$key.$platform"
  if [[ -d $dir && ! -L $dir && -f $dir/buildpack && ! -L $dir/buildpack ]]; then
    got=$(sha256_of "$dir/buildpack")
    if [[ $got == "$sha" ]]; then
      touch "$dir"
      PROGRAM="$dir/buildpack"
      return 0
    fi
    echo " !     WARNING: the program cached in CACHE_DIR/go/program/ has sha256:$got, not the pinned sha256:$sha; it is not run, and fetched again." >&2
  fi

  lock_dir "$programs"
  if [[ -d $dir && ! -L $dir && -f $dir/buildpack && ! -L $dir/buildpack && $(sha256_of "$dir/buildpack") == "$sha" ]]; then
    unlock
    PROGRAM="$dir/buildpack"
    return 0
  fi
  # What killed shims left; nobody else writes here while we hold the lock.
  rm -rf "$programs/.tmp-"*
  url=${GOBUILDPACK_PROGRAM_URL:-${program_url:-}}
  url=${url//\{source\}/$key}
  url=${url//\{platform\}/$platform}
  echo "-----> Fetching the Go buildpack's program for $platform"
  start=$(now_us)
  tmp=$(mktemp -d "$programs/.tmp-XXXXXX")
  if ! fetch "$url" "$tmp/buildpack" "$program_max_bytes" "$program_max_seconds"; then
    echo " !     WARNING: could not fetch the prebuilt program from $url: $(cat "$tmp/buildpack.err"); the buildpack is built from source instead." | redact >&2
    rm -rf "$tmp"
    done_in "$start"
    unlock
    return 1
  fi
  got=$(sha256_of "$tmp/buildpack")
  if [[ $got != "$sha" ]]; then
    refuse "the program downloaded from $(redact <<<"$url")" "$got" "$platform" "$sha"
    echo " !     Nothing was cached." >&2
    rm -rf "$tmp"
    done_in "$start"
    unlock
    return 1
  fi
  rm -f "$tmp/buildpack.err"
  chmod 755 "$tmp/buildpack"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  done_in "$start"
  unlock
  PROGRAM="$dir/buildpack"
}

# bootstrap_go WORK: fetches the pinned bootstrap toolchain into WORK/go
# and sets GO_FOR_PROGRAM to its go command.
bootstrap_go() {
  local work=$1 version platform sha name proxy url got="" errors=""
  version=${bootstrap_version:-}
  platform=$(go_platform)
  sha=$(pin bootstrap_sha256 "$platform")
  if [[ -z "$version" || -z "$sha" ]]; then
    echo " !     ERROR: bin/pins.sh pins no bootstrap Go toolchain for $platform (bootstrap_version, bootstrap_sha256_${platform//-/_}); write it with: go run ./cmd/dev release" >&2
    return 1
  fi
  name="$version.$platform"
  echo "-----> Installing $version to build the Go buildpack (no Go $(sed -n 's/^go //p' "$bp_dir/go.mod")+ on this machine)"
  local start
  start=$(now_us)
  while read -r proxy; do
    url="$proxy/golang.org/toolchain/@v/v0.0.1-$name.zip"
    if fetch "$url" "$work/toolchain.zip" "$toolchain_max_bytes" "$toolchain_max_seconds"; then
      got=$url
      break
    fi
    errors+="$url: $(cat "$work/toolchain.zip.err")"$'\n'
  done < <(buildpack_proxies)
  if [[ -z "$got" ]]; then
    {
      echo "ERROR: fetch bootstrap toolchain $name from $(buildpack_proxies | paste -sd, -) (GOPROXY, then GO_TOOLCHAIN_PROXY):"
      printf '%s' "${errors:-no proxy in GOPROXY (only direct or off) and GO_TOOLCHAIN_PROXY=off}" | sed 's/^/  /'
    } | redact | sed 's/^/ !     /' >&2
    return 1
  fi
  if [[ $(sha256_of "$work/toolchain.zip") != "$sha" ]]; then
    {
      echo " !     ERROR: verifying bootstrap toolchain $name: checksum mismatch"
      echo " !       downloaded: sha256:$(sha256_of "$work/toolchain.zip")"
      echo " !       bin/pins.sh bootstrap_sha256_${platform//-/_}: sha256:$sha"
      echo " !     SECURITY ERROR: this download does NOT match the checksum pinned in bin/pins.sh."
      echo " !     Nothing was installed or cached."
    } >&2
    return 1
  fi
  unzip -q "$work/toolchain.zip" -d "$work/x"
  rm -f "$work/toolchain.zip"
  mv "$work/x/golang.org/toolchain@v0.0.1-$name" "$work/go"
  find "$work/go/pkg/tool" -type f -exec chmod a+x {} +
  chmod a+x "$work/go/bin/"*
  GO_FOR_PROGRAM="$work/go/bin/go"
  done_in "$start"
}

# built_program CACHE_DIR KEY PLATFORM: sets PROGRAM to the program built
# from these sources, building it unless the cache has it.
built_program() {
  local cache_dir=$1 key=$2 platform=$3 programs dir go tmp work="" gocache gomodcache goproxy start
  programs="$cache_dir/go/program"
  dir="$programs/source-$key.$platform"
  lock_dir "$programs"
  PROGRAM="$dir/buildpack"
  if recorded_program "$dir"; then
    unlock
    return 0
  fi
  if [[ -e $dir || -L $dir ]]; then
    echo " !     WARNING: CACHE_DIR/go/program/source-$key.$platform holds no program this buildpack recorded building; it was removed, and the program is built again." >&2
    rm -rf -- "$dir"
  fi
  # What killed builds left; nobody else writes here while we hold the lock.
  rm -rf "$cache_dir/go/bootstrap" "$programs/.tmp-"*
  gocache=${GOCACHE:-}
  gomodcache=${GOMODCACHE:-}
  if go=$(suitable_go); then
    [[ $gocache == /* ]] || gocache=$(GOTOOLCHAIN=local "$go" env GOCACHE 2>/dev/null)
    [[ $gomodcache == /* ]] || gomodcache=$(GOTOOLCHAIN=local "$go" env GOMODCACHE 2>/dev/null)
  else
    own_dir "$cache_dir/go/bootstrap"
    work=$(mktemp -d "$cache_dir/go/bootstrap/tmp-XXXXXX")
    if ! bootstrap_go "$work"; then
      rm -rf "$cache_dir/go/bootstrap"
      unlock
      return 1
    fi
    go=$GO_FOR_PROGRAM
  fi
  # Without caches of the machine's, the build's own last only as long as it.
  [[ $gocache == /* ]] || gocache="${work:-$cache_dir/go/bootstrap}/gocache"
  [[ $gomodcache == /* ]] || gomodcache="${work:-$cache_dir/go/bootstrap}/modcache"
  # The buildpack's modules: from the app's proxies, then the fallback
  # proxy after any error ("|"), for a private proxy that serves only the
  # app's modules; verified by the buildpack's go.sum (-mod=readonly).
  goproxy=$(buildpack_proxies | paste -sd'|' -)
  echo "-----> Building the Go buildpack with $(GOTOOLCHAIN=local "$go" env GOVERSION)"
  start=$(now_us)
  tmp=$(mktemp -d "$programs/.tmp-XXXXXX")
  # The flags and settings of a release (internal/release): with the
  # bootstrap toolchain, which is the release's, this gives its binary.
  if ! (cd "$bp_dir" && env -u GOROOT -u GOOS -u GOARCH -u GOAMD64 -u GOARM64 -u GOEXPERIMENT -u GOBIN \
    -u GONOPROXY -u GONOSUMDB -u GOPRIVATE -u GOINSECURE \
    GOTOOLCHAIN=local GOWORK=off GOFLAGS="-mod=readonly -modcacherw" CGO_ENABLED=0 GOENV=off \
    GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPATH="$tmp/gopath" GOPROXY="${goproxy:-off}" \
    "$go" build -trimpath -buildvcs=false "-ldflags=-s -w -buildid=" "-gcflags=all=-dwarf=false" \
    -o "$tmp/buildpack" ./cmd/buildpack) 2>&1 |
    redact | sed 's/^/       /' >&2; then
    rm -rf "$tmp" "$cache_dir/go/bootstrap"
    echo " !     ERROR: building the Go buildpack failed (see above)" >&2
    unlock
    return 1
  fi
  sha256_of "$tmp/buildpack" >"$tmp/buildpack.sha256"
  rm -rf "$tmp/gopath" "$cache_dir/go/bootstrap"
  mv "$tmp" "$dir"
  done_in "$start"
  unlock
}

# ensure_program CACHE_DIR ENV_DIR: sets PROGRAM.
ensure_program() {
  local cache_dir=$1 platform sha=""
  ENV_DIR_FOR_PROGRAM=${2:-}
  if [[ -n $ENV_DIR_FOR_PROGRAM && -d $ENV_DIR_FOR_PROGRAM ]]; then
    ENV_DIR_FOR_PROGRAM=$(cd "$ENV_DIR_FOR_PROGRAM" && pwd)
  fi
  if [[ -z "$cache_dir" ]]; then
    echo " !     ERROR: no CACHE_DIR given (usage: bin/compile BUILD_DIR CACHE_DIR ENV_DIR)" >&2
    return 1
  fi
  mkdir -p -- "$cache_dir"
  cache_dir=$(cd "$cache_dir" && pwd)
  own_dir "$cache_dir/go"
  own_dir "$cache_dir/go/program"
  source_keys
  platform=$(go_platform)
  # A program an earlier build compiled from these very sources (when the
  # release could not be fetched, or for sources no pin matches) runs when
  # it is the one recorded: no download.
  if recorded_program "$cache_dir/go/program/source-$build_key.$platform"; then
    touch "$cache_dir/go/program/source-$build_key.$platform"
    PROGRAM="$cache_dir/go/program/source-$build_key.$platform/buildpack"
    return 0
  fi
  # GOBUILDPACK_PROGRAM_URL=off: never a prebuilt program.
  if [[ $release_key == "${program_source:-}" && ${GOBUILDPACK_PROGRAM_URL:-} != off ]]; then
    sha=$(pin program_sha256 "$platform")
  fi
  if [[ -n $sha ]] && prebuilt_program "$cache_dir" "$release_key" "$platform" "$sha"; then
    return 0
  fi
  built_program "$cache_dir" "$build_key" "$platform"
}

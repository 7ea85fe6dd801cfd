# Sourced by the bin/ shims: finds the buildpack's Go program, or builds
# it, and sets PROGRAM to its path. Only what must happen before any Go
# program exists is done here; the program owns the cache once it runs.
#
# A release (the sources match the pins in buildpack.toml [program]) runs
# the prebuilt program for this platform: the one shipped in bin/.program/,
# else the one cached in CACHE_DIR/go/program/, else the one downloaded
# from the release (GOBUILDPACK_PROGRAM_URL replaces the URL template;
# "off" builds from source instead).
# Each is checked against its pinned SHA-256 before it runs; one that does
# not match is refused and the program is built from source instead.
#
# Otherwise (a fork, a local edit) the program is built from source, once
# per version of the sources: with a go on PATH if it is new enough
# (go.mod's go line), else with the bootstrap toolchain pinned in
# buildpack.toml [bootstrap], fetched from GOPROXY into
# CACHE_DIR/go/bootstrap/, checked against its pinned SHA-256, and removed
# with the build's caches once the program is built.

bp_dir=${bp_dir:?}

# redact hides the passwords of the URLs in its input as the buildpack's
# program does (net/url's Redacted): scheme://user:password@host becomes
# scheme://user:xxxxx@host.
redact() {
  sed -E 's|(://[^/?#@:]*):[^/?#]*@|\1:xxxxx@|g'
}

# source_key prints the key of the sources the program is built from, as
# internal/prebuilt.SourceKey computes it.
source_key() {
  (
    cd "$bp_dir" || exit 1
    { find cmd internal -name '*.go' ! -name '*_test.go' -type f -print0; printf '%s\0' go.mod go.sum; } |
      LC_ALL=C sort -z | xargs -0 sha256sum
  ) | sha256sum | cut -c1-32
}

# toml_value KEY TABLE: a string value from buildpack.toml.
toml_value() {
  local key=$1 table=${2//./\\.}
  sed -n "/^\[$table\]/,/^\[/ s/^$key *= *\"\(.*\)\"/\1/p" "$bp_dir/buildpack.toml" | head -n1
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

# config_var NAME DEFAULT: a config var from ENV_DIR.
config_var() {
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
    echo " !     SECURITY ERROR: $1 does NOT match the SHA-256 pinned in buildpack.toml."
    echo " !       $1: sha256:$2"
    echo " !       buildpack.toml [program.sha256] $3: sha256:$4"
    echo " !     It was not run. The buildpack is built from source instead."
  } >&2
}

# prebuilt_program CACHE_DIR KEY PLATFORM SHA: sets PROGRAM to the
# prebuilt program for PLATFORM if one matching SHA is shipped, cached or
# can be downloaded; fails otherwise.
prebuilt_program() {
  local cache_dir=$1 key=$2 platform=$3 sha=$4 shipped dir url tmp start got
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
  dir="$cache_dir/go/program/release-$key.$platform"
  if [[ -f $dir/buildpack ]]; then
    got=$(sha256_of "$dir/buildpack")
    if [[ $got == "$sha" ]]; then
      touch "$dir"
      PROGRAM="$dir/buildpack"
      return 0
    fi
    echo " !     WARNING: the program cached in CACHE_DIR/go/program/ has sha256:$got, not the pinned sha256:$sha; it is not run, and fetched again." >&2
  fi

  exec 9>"$cache_dir/go/program/.lock"
  flock 9
  if [[ -f $dir/buildpack && $(sha256_of "$dir/buildpack") == "$sha" ]]; then
    exec 9>&-
    PROGRAM="$dir/buildpack"
    return 0
  fi
  url=${GOBUILDPACK_PROGRAM_URL:-$(toml_value url program)}
  url=${url//\{source\}/$key}
  url=${url//\{platform\}/$platform}
  echo "-----> Fetching the Go buildpack's program for $platform"
  start=$(now_us)
  tmp=$(mktemp -d "$cache_dir/go/program/.tmp-XXXXXX")
  if ! curl -fsSL --retry 3 --retry-delay 1 --connect-timeout 15 --speed-limit 1024 --speed-time 60 \
    -o "$tmp/buildpack" "$url" 2>"$tmp/curl.err"; then
    {
      echo "WARNING: could not fetch the prebuilt program from $url:"
      sed 's/^/  /' "$tmp/curl.err"
      echo "The buildpack is built from source instead."
    } | redact | sed 's/^/ !     /' >&2
    rm -rf "$tmp"
    done_in "$start"
    exec 9>&-
    return 1
  fi
  got=$(sha256_of "$tmp/buildpack")
  if [[ $got != "$sha" ]]; then
    refuse "the program downloaded from $(redact <<<"$url")" "$got" "$platform" "$sha"
    echo " !     Nothing was cached." >&2
    rm -rf "$tmp"
    done_in "$start"
    exec 9>&-
    return 1
  fi
  rm -f "$tmp/curl.err"
  chmod 755 "$tmp/buildpack"
  rm -rf "$dir"
  mv "$tmp" "$dir"
  done_in "$start"
  exec 9>&-
  PROGRAM="$dir/buildpack"
}

# bootstrap_go WORK: fetches the pinned bootstrap toolchain into WORK/go
# and sets GO_FOR_PROGRAM to its go command.
bootstrap_go() {
  local work=$1 version platform sha name proxy url got="" errors=""
  version=$(toml_value version bootstrap)
  platform=$(go_platform)
  sha=$(toml_value "$platform" bootstrap.sha256)
  if [[ -z "$version" || -z "$sha" ]]; then
    echo " !     ERROR: buildpack.toml pins no bootstrap Go toolchain for $platform" >&2
    return 1
  fi
  name="$version.$platform"
  echo "-----> Installing $version to build the Go buildpack (no Go $(sed -n 's/^go //p' "$bp_dir/go.mod")+ on this machine)"
  local start
  start=$(now_us)
  while read -r proxy; do
    url="$proxy/golang.org/toolchain/@v/v0.0.1-$name.zip"
    if curl -fsS --retry 3 --retry-delay 1 --connect-timeout 15 --speed-limit 1024 --speed-time 60 \
      -o "$work/toolchain.zip" "$url" 2>"$work/curl.err"; then
      got=$url
      break
    fi
    errors+="$url: $(paste -sd' ' "$work/curl.err")"$'\n'
  done < <(proxy_urls)
  if [[ -z "$got" ]]; then
    {
      echo "ERROR: fetch bootstrap toolchain $name from GOPROXY=$(proxy_urls | paste -sd, -):"
      printf '%s' "${errors:-no proxy in GOPROXY (only direct or off)}" | sed 's/^/  /'
    } | redact | sed 's/^/ !     /' >&2
    return 1
  fi
  if [[ $(sha256_of "$work/toolchain.zip") != "$sha" ]]; then
    {
      echo " !     ERROR: verifying bootstrap toolchain $name: checksum mismatch"
      echo " !       downloaded: sha256:$(sha256_of "$work/toolchain.zip")"
      echo " !       buildpack.toml: sha256:$sha"
      echo " !     SECURITY ERROR: this download does NOT match the checksum pinned in buildpack.toml."
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
  local cache_dir=$1 key=$2 platform=$3 dir go tmp work="" gocache gomodcache start
  dir="$cache_dir/go/program/source-$key.$platform"
  if [[ -f "$dir/.ok" && -x "$dir/buildpack" ]]; then
    touch "$dir"
    PROGRAM="$dir/buildpack"
    return 0
  fi
  exec 9>"$cache_dir/go/program/.lock"
  flock 9
  PROGRAM="$dir/buildpack"
  if [[ -f "$dir/.ok" && -x "$PROGRAM" ]]; then
    exec 9>&-
    return 0
  fi
  # What killed builds left; nobody else writes here while we hold the lock.
  rm -rf "$cache_dir/go/bootstrap" "$cache_dir/go/program/.tmp-"*
  gocache=${GOCACHE:-}
  gomodcache=${GOMODCACHE:-}
  if go=$(suitable_go); then
    [[ $gocache == /* ]] || gocache=$(GOTOOLCHAIN=local "$go" env GOCACHE 2>/dev/null)
    [[ $gomodcache == /* ]] || gomodcache=$(GOTOOLCHAIN=local "$go" env GOMODCACHE 2>/dev/null)
  else
    mkdir -p "$cache_dir/go/bootstrap"
    work=$(mktemp -d "$cache_dir/go/bootstrap/tmp-XXXXXX")
    if ! bootstrap_go "$work"; then
      rm -rf "$cache_dir/go/bootstrap"
      exec 9>&-
      return 1
    fi
    go=$GO_FOR_PROGRAM
  fi
  # Without caches of the machine's, the build's own last only as long as it.
  [[ $gocache == /* ]] || gocache="${work:-$cache_dir/go/bootstrap}/gocache"
  [[ $gomodcache == /* ]] || gomodcache="${work:-$cache_dir/go/bootstrap}/modcache"
  echo "-----> Building the Go buildpack with $(GOTOOLCHAIN=local "$go" env GOVERSION)"
  start=$(now_us)
  tmp=$(mktemp -d "$cache_dir/go/program/.tmp-XXXXXX")
  # The flags and settings of a release (internal/prebuilt): with the
  # bootstrap toolchain, which is the release's, this gives its binary.
  if ! (cd "$bp_dir" && env -u GOROOT -u GOOS -u GOARCH -u GOAMD64 -u GOARM64 -u GOEXPERIMENT -u GOBIN \
    GOTOOLCHAIN=local GOWORK=off GOFLAGS="-mod=readonly -modcacherw" CGO_ENABLED=0 GOENV=off \
    GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPATH="$tmp/gopath" \
    GOPROXY="$(config_var GOPROXY "${GOPROXY:-https://proxy.golang.org}")" \
    "$go" build -trimpath -buildvcs=false "-ldflags=-s -w -buildid=" "-gcflags=all=-dwarf=false" \
    -o "$tmp/buildpack" ./cmd/buildpack) 2>&1 |
    redact | sed 's/^/       /' >&2; then
    rm -rf "$tmp" "$cache_dir/go/bootstrap"
    echo " !     ERROR: building the Go buildpack failed (see above)" >&2
    exec 9>&-
    return 1
  fi
  rm -rf "$tmp/gopath" "$dir" "$cache_dir/go/bootstrap"
  mv "$tmp" "$dir"
  touch "$dir/.ok"
  done_in "$start"
  exec 9>&-
}

# ensure_program CACHE_DIR ENV_DIR: sets PROGRAM.
ensure_program() {
  local cache_dir=$1 key platform sha=""
  ENV_DIR_FOR_PROGRAM=${2:-}
  if [[ -z "$cache_dir" ]]; then
    echo " !     ERROR: no CACHE_DIR given (usage: bin/compile BUILD_DIR CACHE_DIR ENV_DIR)" >&2
    return 1
  fi
  mkdir -p "$cache_dir/go/program"
  cache_dir=$(cd "$cache_dir" && pwd)
  key=$(source_key)
  platform=$(go_platform)
  # GOBUILDPACK_PROGRAM_URL=off: never a prebuilt program.
  if [[ $key == "$(toml_value source program)" && ${GOBUILDPACK_PROGRAM_URL:-} != off ]]; then
    sha=$(toml_value "$platform" program.sha256)
  fi
  # A program an earlier build compiled from these very sources (when the
  # release could not be fetched) is as good as the release: no download.
  if [[ -n $sha && ! ( -f "$cache_dir/go/program/source-$key.$platform/.ok" && -x "$cache_dir/go/program/source-$key.$platform/buildpack" ) ]] &&
    prebuilt_program "$cache_dir" "$key" "$platform" "$sha"; then
    return 0
  fi
  built_program "$cache_dir" "$key" "$platform"
}

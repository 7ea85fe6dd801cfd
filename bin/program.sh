# Sourced by the bin/ shims: makes sure the buildpack's Go program is built
# for this version of the buildpack and sets PROGRAM to its path.
#
# The program is cached in CACHE_DIR/go/program/<hash of its sources>. To
# build it, a `go` on PATH is used when it is new enough (go.mod's go line);
# otherwise (a Heroku build dyno) the bootstrap toolchain pinned in
# buildpack.toml is fetched from GOPROXY, checked against its pinned
# SHA-256, and cached in CACHE_DIR/go/toolchains.

bp_dir=${bp_dir:?}

# program_key hashes everything the program is built from.
program_key() {
  (
    cd "$bp_dir"
    { find cmd internal -name '*.go' ! -name '*_test.go' -print0; printf '%s\0' go.mod go.sum; } |
      sort -z | xargs -0 sha256sum
    uname -m
  ) | sha256sum | cut -c1-16
}

# bootstrap_value KEY [TABLE]: a string value from buildpack.toml.
bootstrap_value() {
  local key=$1 table=${2:-bootstrap}
  sed -n "/^\[$table\]/,/^\[/ s/^$key *= *\"\(.*\)\"/\1/p" "$bp_dir/buildpack.toml" | head -n1
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

go_arch() {
  case $(uname -m) in
    x86_64 | amd64) echo amd64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) echo "unsupported-$(uname -m)" ;;
  esac
}

# config_var NAME DEFAULT: a config var from ENV_DIR.
config_var() {
  if [[ -n "$ENV_DIR_FOR_PROGRAM" && -f "$ENV_DIR_FOR_PROGRAM/$1" ]]; then
    cat "$ENV_DIR_FOR_PROGRAM/$1"
  else
    echo "$2"
  fi
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

# bootstrap_go fetches the pinned bootstrap toolchain into the cache and
# sets GO_FOR_PROGRAM to the path of its go command.
bootstrap_go() {
  local cache_dir=$1 version arch sha name dir proxies proxy url tmp start
  version=$(bootstrap_value version)
  arch=$(go_arch)
  sha=$(bootstrap_value "linux-$arch" bootstrap.sha256)
  if [[ -z "$version" || -z "$sha" ]]; then
    echo " !     ERROR: buildpack.toml pins no bootstrap Go toolchain for linux-$arch" >&2
    return 1
  fi
  name="$version.linux-$arch"
  dir="$cache_dir/go/toolchains/$name"
  mkdir -p "$cache_dir/go/toolchains"
  exec 8>"$cache_dir/go/toolchains/.$name.lock"
  flock 8
  GO_FOR_PROGRAM="$dir/bin/go"
  if [[ -f "$dir/.installed" && -x "$dir/bin/go" ]]; then
    exec 8>&-
    return 0
  fi
  echo "-----> Installing $version to build the Go buildpack (no Go $(sed -n 's/^go //p' "$bp_dir/go.mod")+ on this machine)"
  start=$(now_us)
  rm -rf "$dir" "$cache_dir/go/toolchains/.tmp-$name-"*
  tmp=$(mktemp -d "$cache_dir/go/toolchains/.tmp-$name-XXXXXX")
  proxies=$(config_var GOPROXY "${GOPROXY:-https://proxy.golang.org}")
  local got=""
  for proxy in ${proxies//[,|]/ }; do
    case $proxy in direct | off | noproxy) continue ;; esac
    [[ $proxy == *://* ]] || proxy="https://$proxy"
    url="${proxy%/}/golang.org/toolchain/@v/v0.0.1-$name.zip"
    if curl -fsS --retry 3 --retry-delay 1 --connect-timeout 15 -o "$tmp/toolchain.zip" "$url" 2>"$tmp/curl.err"; then
      got=$url
      break
    fi
  done
  if [[ -z "$got" ]]; then
    echo " !     ERROR: fetch bootstrap toolchain $name from GOPROXY=$proxies: $(sed 's/:\/\/[^@/]*@/:\/\/***@/' "$tmp/curl.err")" >&2
    rm -rf "$tmp"
    return 1
  fi
  if ! echo "$sha  $tmp/toolchain.zip" | sha256sum --check --status; then
    echo " !     ERROR: verifying bootstrap toolchain $name: checksum mismatch" >&2
    echo " !       downloaded: sha256:$(sha256sum "$tmp/toolchain.zip" | cut -d' ' -f1)" >&2
    echo " !       buildpack.toml: sha256:$sha" >&2
    echo " !     SECURITY ERROR: this download does NOT match the checksum pinned in buildpack.toml." >&2
    echo " !     Nothing was installed or cached." >&2
    rm -rf "$tmp"
    return 1
  fi
  unzip -q "$tmp/toolchain.zip" -d "$tmp/x"
  mv "$tmp/x/golang.org/toolchain@v0.0.1-$name" "$tmp/go"
  find "$tmp/go/pkg/tool" -type f -exec chmod a+x {} +
  chmod a+x "$tmp/go/bin/"*
  mv "$tmp/go" "$dir"
  printf 'version v0.0.1-%s\nhash sha256:%s\ngo-size %s\n' "$name" "$sha" "$(stat -c %s "$dir/bin/go")" >"$dir/.installed"
  rm -rf "$tmp"
  done_in "$start"
  exec 8>&-
}

# ensure_program CACHE_DIR ENV_DIR: sets PROGRAM.
ensure_program() {
  local cache_dir=$1 key dir go tmp gocache="" gomodcache="" start
  ENV_DIR_FOR_PROGRAM=${2:-}
  if [[ -z "$cache_dir" ]]; then
    echo " !     ERROR: no CACHE_DIR given (usage: bin/compile BUILD_DIR CACHE_DIR ENV_DIR)" >&2
    return 1
  fi
  mkdir -p "$cache_dir/go/program"
  cache_dir=$(cd "$cache_dir" && pwd)
  key=$(program_key)
  dir="$cache_dir/go/program/$key"
  PROGRAM="$dir/buildpack"
  [[ -f "$dir/.ok" && -x "$PROGRAM" ]] && return 0

  exec 9>"$cache_dir/go/program/.lock"
  flock 9
  if [[ -f "$dir/.ok" && -x "$PROGRAM" ]]; then
    exec 9>&-
    return 0
  fi
  if go=$(suitable_go); then
    gocache=${GOCACHE:-$(GOTOOLCHAIN=local "$go" env GOCACHE 2>/dev/null)}
    gomodcache=${GOMODCACHE:-$(GOTOOLCHAIN=local "$go" env GOMODCACHE 2>/dev/null)}
  else
    bootstrap_go "$cache_dir" || return 1
    go=$GO_FOR_PROGRAM
  fi
  [[ $gocache == /* ]] || gocache="$cache_dir/go/gocache"
  [[ $gomodcache == /* ]] || gomodcache="$cache_dir/go/modcache"
  echo "-----> Building the Go buildpack with $(GOTOOLCHAIN=local "$go" env GOVERSION)"
  start=$(now_us)
  rm -rf "$cache_dir/go/program/.tmp-"*
  tmp=$(mktemp -d "$cache_dir/go/program/.tmp-XXXXXX")
  if ! (cd "$bp_dir" && env GOTOOLCHAIN=local GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 GOENV=off \
    GOCACHE="$gocache" GOMODCACHE="$gomodcache" GOPATH="$cache_dir/go/gopath" \
    GOPROXY="$(config_var GOPROXY "${GOPROXY:-https://proxy.golang.org}")" \
    "$go" build -trimpath -o "$tmp/buildpack" ./cmd/buildpack) 2>&1 | sed 's/^/       /' >&2; then
    rm -rf "$tmp"
    echo " !     ERROR: building the Go buildpack failed (see above)" >&2
    return 1
  fi
  rm -rf "$dir"
  mv "$tmp" "$dir"
  touch "$dir/.ok"
  done_in "$start"
  # Keep the three most recently built versions of the program.
  ls -1dt "$cache_dir/go/program/"*/ | tail -n +4 | xargs -r rm -rf
  exec 9>&-
}

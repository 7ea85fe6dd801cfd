# Written by `go run ./cmd/dev release`. Its inputs are program_toolchain
# and bootstrap_version, which you may edit; it writes the rest. Sourced by
# bin/program.sh and read by internal/release: name='value' lines only.

# The prebuilt program: the key of the sources it was built from, the
# toolchain that built it, where the release serves it, its SHA-256.
program_source='4578833c1688c36c6cfd603e48f96166'
program_toolchain='go1.26.11'
program_url='https://github.com/gobuildpack/heroku-buildpack-go/releases/download/program-{source}/buildpack-{platform}'
program_sha256_linux_amd64='bc092f972302ded4236a6479c80436d189307205d6192bcf2fa233efdfc97397'
program_sha256_linux_arm64='ae5f2afb980c489182d6003123a6b3a4e9b44c02c070436d91c4680de42ff0d6'

# The runtime program's package directories (go list -deps ./cmd/buildpack):
# program_source covers their non-test Go files, go.mod and go.sum.
program_packages='cmd/buildpack internal/appdir internal/appjson internal/build internal/cache internal/checksum internal/cnb internal/compile internal/config internal/envdir internal/files internal/glob internal/gocmd internal/gomod internal/goproxy internal/goversion internal/herokuci internal/hook internal/manifest internal/modcache internal/netrc internal/output internal/prebuilt internal/procfile internal/remedy internal/report internal/sbom internal/secret internal/shellwords internal/slug internal/sourcekey internal/tap internal/toolchain'

# The toolchain that builds the program from source when no release
# matches, and the SHA-256 of its module zip.
bootstrap_version='go1.26.11'
bootstrap_sha256_linux_amd64='e1edb778de0aa08c8e827f5a873b35a46afe680fb241482c531725b2355e470d'
bootstrap_sha256_linux_arm64='51902dab7e130b07083119a36ce09e0cc50fdd9d0d64184c24bd302072ad8b70'

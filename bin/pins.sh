# Written by `go run ./cmd/dev release`. Its inputs are program_toolchain
# and bootstrap_version, which you may edit; it writes the rest. Sourced by
# bin/program.sh and read by internal/release: name='value' lines only.

# The prebuilt program: the key of the sources it was built from, the
# toolchain that built it, where the release serves it, its SHA-256.
program_source='a9da53a052286e2ee235ab7e6da9f398'
program_toolchain='go1.26.11'
program_url='https://github.com/gobuildpack/heroku-buildpack-go/releases/download/program-{source}/buildpack-{platform}'
program_sha256_linux_amd64='152bc01ad3175b3ef073bfb38e02786a7313bdad0ee3cb8d1699a51982c107f9'
program_sha256_linux_arm64='1b3a14eff7465e0aa8c627d00dc36bfe29a98fcb52036d8e85b787ebb8fc5f73'

# The runtime program's package directories (go list -deps ./cmd/buildpack):
# program_source covers their non-test Go files, go.mod and go.sum.
program_packages='cmd/buildpack internal/appdir internal/appjson internal/cache internal/checksum internal/cnb internal/compile internal/files internal/glob internal/gocmd internal/golangci internal/gomod internal/goproxy internal/goversion internal/herokuci internal/manifest internal/netrc internal/output internal/packages internal/prebuilt internal/procfile internal/remedy internal/report internal/sbom internal/secret internal/settings internal/shellwords internal/slug internal/tap internal/toolchain'

# The toolchain that builds the program from source when no release
# matches, and the SHA-256 of its module zip.
bootstrap_version='go1.26.11'
bootstrap_sha256_linux_amd64='e1edb778de0aa08c8e827f5a873b35a46afe680fb241482c531725b2355e470d'
bootstrap_sha256_linux_arm64='51902dab7e130b07083119a36ce09e0cc50fdd9d0d64184c24bd302072ad8b70'

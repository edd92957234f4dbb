# shellcheck shell=bash
# Host prerequisites for the lab: Debian packages for the services, a JDK 17+. Sourced by installer/lab.

# Command -> Debian package that provides it. The lab only installs what it can name here, so that a
# non-root user gets an exact list to hand to an administrator.
declare -gA PACKAGES_PROVIDER=(
  [mariadbd]=mariadb-server
  [slapd]=slapd
  [ldapadd]=ldap-utils
  [softhsm2-util]=softhsm2
  [pkcs11-tool]=opensc
  [curl]=curl
  [unzip]=unzip
)

# Daemons live in /usr/sbin, which is not on a normal user's PATH: look there too, or a non-root
# user would be told to install packages that are already installed.
packages_have() {
  command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]] || [[ -x "/sbin/$1" ]]
}

packages_ensure() {
  lab_step "Checking host packages"
  local cmd missing=()
  for cmd in mariadbd slapd ldapadd softhsm2-util pkcs11-tool curl unzip; do
    packages_have "$cmd" || missing+=("$cmd")
  done
  if ((${#missing[@]} > 0)); then
    if ((EUID != 0)); then
      local pkgs=() c
      for c in "${missing[@]}"; do pkgs+=("${PACKAGES_PROVIDER[$c]}"); done
      lab_die "missing commands: ${missing[*]}; as root run: apt-get install -y ${pkgs[*]}"
    fi
    lab_warn "missing: ${missing[*]}; installing with apt-get"
    apt-get update >&2
    # The whole set, not only what is missing: one transaction keeps their versions consistent.
    DEBIAN_FRONTEND=noninteractive apt-get install -y mariadb-server slapd ldap-utils softhsm2 opensc curl unzip >&2
    for cmd in "${missing[@]}"; do packages_have "$cmd" || lab_die "$cmd still missing after apt-get install"; done
  fi
  lab_ok "mariadb-server slapd ldap-utils softhsm2 opensc curl unzip present"
  packages_java
}

# WildFly 39 and Keycloak 26 both need Java 17 or newer.
packages_java() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" version major
  command -v "$java" >/dev/null 2>&1 || lab_die "no java found: install a JDK 17+ (apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME"
  version="$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  major="${version%%.*}"
  # Java 8 and older report "1.x".
  [[ "$major" == 1 ]] && major="$(cut -d. -f2 <<<"$version")"
  [[ "$major" =~ ^[0-9]+$ ]] || lab_die "cannot read the Java version from '$java -version'"
  ((major >= 17)) || lab_die "Java $version is too old: Redoubt needs Java 17 or newer"
  lab_ok "Java $version"
}

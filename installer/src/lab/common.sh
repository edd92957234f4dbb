# shellcheck shell=bash
# Shared by every lab script: where the lab keeps its state, which ports it uses, its secrets,
# and how it starts and stops the processes it owns. Sourced, never executed.
#
# Layout of the state directory ($LAB_STATE):
#   secrets.env        generated once, mode 0600; never printed by `lab status`
#   env                KEY=VALUE lines that tests and `lab status` read (no secrets but lab demo ones)
#   mariadb/ slapd/ softhsm/ tls/ keycloak/ wildfly/   one folder per service
#   <service>/<service>.pid, <service>/<service>.log

LAB_REPO_ROOT="${LAB_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}"
LAB_SRC="$LAB_REPO_ROOT/installer/src/lab"

# The demo users' password: a lab fixture only (the LDIF uses it); 14+ characters for FIPS strict mode.
LAB_DEMO_PASSWORD="redoubt-lab-demo-2026"
LAB_LDAP_BASE_DN="dc=redoubt,dc=test"
LAB_LDAP_BIND_DN="cn=admin,dc=redoubt,dc=test"

# lab_init STATE_DIR PORT_OFFSET: sets every LAB_* variable and makes sure secrets exist.
lab_init() {
  LAB_STATE="$1"
  LAB_PORT_OFFSET="${2:-0}"
  mkdir -p "$LAB_STATE"
  LAB_STATE="$(cd "$LAB_STATE" && pwd)"
  # Keycloak keeps the LDAP URL (with its port) from the first realm import: a state directory
  # stays with the port offset it was made with.
  if [[ -f "$LAB_STATE/port-offset" ]]; then
    local made_with
    made_with="$(cat "$LAB_STATE/port-offset")"
    if [[ "$made_with" != "$LAB_PORT_OFFSET" ]]; then
      lab_die "$LAB_STATE was set up with --port-offset $made_with; use that, or start afresh with: installer/lab --state $LAB_STATE --port-offset $made_with down --purge"
    fi
  else
    echo "$LAB_PORT_OFFSET" > "$LAB_STATE/port-offset"
  fi
  LAB_MARIADB_PORT=$((13306 + LAB_PORT_OFFSET))
  LAB_LDAP_PORT=$((10389 + LAB_PORT_OFFSET))
  LAB_KEYCLOAK_HTTPS_PORT=$((18443 + LAB_PORT_OFFSET))
  LAB_KEYCLOAK_MGMT_PORT=$((19000 + LAB_PORT_OFFSET))
  LAB_WILDFLY_HTTPS_PORT=$((8443 + LAB_PORT_OFFSET))
  LAB_WILDFLY_HTTP_PORT=$((8080 + LAB_PORT_OFFSET))
  # Native management (remoting); the HTTP management interface cannot run without MD5.
  LAB_WILDFLY_MGMT_PORT=$((9999 + LAB_PORT_OFFSET))
  LAB_LDAP_URL="ldap://127.0.0.1:$LAB_LDAP_PORT"
  LAB_KEYCLOAK_URL="https://localhost:$LAB_KEYCLOAK_HTTPS_PORT"
  LAB_REDOUBT_URL="https://localhost:$LAB_WILDFLY_HTTPS_PORT"
  lab_secrets
}

# Random secrets, made once per state directory. 32 hex characters: long enough for FIPS strict
# mode's 112-bit minimum and free of shell or URL metacharacters.
lab_secrets() {
  local file="$LAB_STATE/secrets.env" name
  # Secrets added to this list later are appended to an older state directory's file; existing
  # ones are never regenerated (services already hold them).
  (
    umask 077
    touch "$file"
    for name in DB_APP_PASSWORD DB_SCHEMA_PASSWORD KEYCLOAK_DB_PASSWORD KEYCLOAK_ADMIN_PASSWORD \
                LDAP_ADMIN_PASSWORD HSM_SO_PIN HSM_PIN TLS_STORE_PASSWORD DIRECTORY_SYNC_SECRET \
                DIRECTORY_EVENTS_SECRET; do
      if ! grep -q "^$name=" "$file"; then
        printf '%s=%s\n' "$name" "$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" >> "$file"
      fi
    done
  )
  # shellcheck disable=SC1090
  source "$file"
}

# Progress output: short, one line per step, to stderr so that `status` output stays parseable.
lab_step() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
lab_ok()   { printf '    \033[32mok\033[0m %s\n' "$*" >&2; }
lab_warn() { printf '    \033[33mwarning:\033[0m %s\n' "$*" >&2; }
lab_die()  { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# lab_pid_alive PIDFILE: true when the file names a running process.
lab_pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# lab_stop_pid NAME PIDFILE [SECONDS]: TERM, wait, then KILL; removes the pid file.
lab_stop_pid() {
  local name="$1" pidfile="$2" wait="${3:-30}" pid
  if lab_pid_alive "$pidfile"; then
    pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then lab_warn "$name did not stop in ${wait}s, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    lab_ok "$name stopped"
  fi
  rm -f "$pidfile"
}

# lab_wait_port PORT SECONDS [PIDFILE]: waits for a TCP listener on 127.0.0.1; fails early if the
# process behind PIDFILE dies.
lab_wait_port() {
  local port="$1" seconds="$2" pidfile="${3:-}"
  for ((i = 0; i < seconds * 2; i++)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if [[ -n "$pidfile" ]] && ! lab_pid_alive "$pidfile"; then return 1; fi
    sleep 0.5
  done
  return 1
}

# lab_mvn ARGS...: the project's Maven wrapper, quiet and non-interactive.
lab_mvn() { "$LAB_REPO_ROOT/mvnw" -B -q "$@"; }

# lab_port_open PORT: true when something already listens on 127.0.0.1:PORT (one probe, no wait).
lab_port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

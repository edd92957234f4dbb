# shellcheck shell=bash
# WildFly with the Redoubt EAR, run from the server the build provisions (installer/target/server)
# with its own base directory in the lab state. Sourced by installer/lab.

wildfly_vars() {
  WILDFLY_HOME="$LAB_REPO_ROOT/installer/target/server"
  WILDFLY_EAR="$LAB_REPO_ROOT/ear/target/redoubt.ear"
  WILDFLY_DIR="$LAB_STATE/wildfly"
  WILDFLY_BASE="$WILDFLY_DIR/base"
  WILDFLY_PIDFILE="$WILDFLY_DIR/wildfly.pid"
  WILDFLY_CONSOLE="$WILDFLY_DIR/console.log"
  WILDFLY_ENV_FILE="$LAB_STATE/wildfly.env"
}

# wildfly_env: the environment the Redoubt server reads, one KEY=VALUE per line, unquoted (values
# contain no newlines; REDOUBT_ORGANISATION contains a space, so split at the first '=' rather than
# sourcing the lines). This is the only list: the lab, $LAB_STATE/wildfly.env and the integration
# tests all use it. It holds secrets: never print it to a terminal.
wildfly_env() {
  local softhsm="$LAB_STATE/softhsm"
  cat <<ENV
REDOUBT_DB_URL=jdbc:mariadb://127.0.0.1:$LAB_MARIADB_PORT/redoubt
REDOUBT_DB_USER=redoubt_app
REDOUBT_DB_PASSWORD=$DB_APP_PASSWORD
REDOUBT_DB_SCHEMA_USER=redoubt_schema
REDOUBT_DB_SCHEMA_PASSWORD=$DB_SCHEMA_PASSWORD
REDOUBT_PKCS11_CONFIG=$softhsm/pkcs11.cfg
SOFTHSM2_CONF=$softhsm/softhsm2.conf
REDOUBT_HSM_PIN=$HSM_PIN
REDOUBT_TLS_KEYSTORE=$LAB_STATE/tls/server.bcfks
REDOUBT_TLS_KEYSTORE_PASSWORD=$TLS_STORE_PASSWORD
REDOUBT_TRUSTSTORE=$LAB_STATE/tls/truststore.bcfks
REDOUBT_TRUSTSTORE_PASSWORD=$TLS_STORE_PASSWORD
REDOUBT_OIDC_ISSUER=$LAB_KEYCLOAK_URL/realms/redoubt
REDOUBT_ORGANISATION=Redoubt Lab
REDOUBT_DIRECTORY_SYNC_SECRET=$DIRECTORY_SYNC_SECRET
REDOUBT_DIRECTORY_SETTINGS_FILE=$LAB_STATE/ldap-sync/directory.properties
LAB_LDAP_BIND_CREDENTIAL=$LDAP_ADMIN_PASSWORD
ENV
}

# wildfly_export_env: exports every wildfly_env variable into the current shell.
wildfly_export_env() {
  local key value
  while IFS='=' read -r key value; do export "$key=$value"; done < <(wildfly_env)
}

# $LAB_STATE/wildfly.env: the same lines for the integration tests (Arquillian starts its own
# WildFly and must hand it the same environment). Mode 0600: it holds the database and HSM secrets.
wildfly_write_env_file() {
  wildfly_vars
  (umask 077 && wildfly_env >"$WILDFLY_ENV_FILE.new")
  chmod 600 "$WILDFLY_ENV_FILE.new"
  mv "$WILDFLY_ENV_FILE.new" "$WILDFLY_ENV_FILE"
}

wildfly_is_up() {
  wildfly_vars
  lab_pid_alive "$WILDFLY_PIDFILE" && [[ "$(wildfly_probe)" == 200 ]]
}

# The readiness check: the public info endpoint over HTTPS answers 200 only once the EAR is
# deployed and its dependencies (database, HSM, TLS) are wired, unlike a listening port.
wildfly_probe() {
  curl -sk -o /dev/null -w '%{http_code}' --max-time 5 "$LAB_REDOUBT_URL/api/v1/info" 2>/dev/null || true
}

wildfly_start() {
  wildfly_vars
  lab_step "WildFly on $LAB_REDOUBT_URL"
  if wildfly_is_up; then
    lab_ok "already running (pid $(cat "$WILDFLY_PIDFILE"))"
    return 0
  fi
  [[ -x "$WILDFLY_HOME/bin/standalone.sh" ]] || lab_die "no server at $WILDFLY_HOME: run 'installer/lab up --rebuild' (or mvn install)"
  [[ -f "$WILDFLY_EAR" ]] || lab_die "no EAR at $WILDFLY_EAR: run 'installer/lab up --rebuild' (or mvn install)"
  if lab_pid_alive "$WILDFLY_PIDFILE"; then
    # Running but not answering: a half-started or wedged server. Restart it rather than wait on it.
    lab_warn "WildFly (pid $(cat "$WILDFLY_PIDFILE")) runs but does not answer; restarting it"
    wildfly_stop
  fi
  local port
  for port in "$LAB_WILDFLY_HTTPS_PORT" "$LAB_WILDFLY_HTTP_PORT" "$LAB_WILDFLY_MGMT_PORT"; do
    lab_port_open "$port" && lab_die "port $port is taken by another process; pick another --port-offset"
  done

  # configuration/ comes fresh from the build on every start, so that a rebuilt server's config is
  # always the one that runs; data/ (deployment content, transaction logs, timers) is kept.
  mkdir -p "$WILDFLY_BASE/deployments"
  rm -rf "$WILDFLY_BASE/configuration"
  cp -a "$WILDFLY_HOME/standalone/configuration" "$WILDFLY_BASE/configuration"
  # Old scanner markers (.deployed, .failed, ...) would stop a new EAR from being (re)deployed.
  rm -f "$WILDFLY_BASE/deployments/redoubt.ear" "$WILDFLY_BASE/deployments/redoubt.ear."*
  cp "$WILDFLY_EAR" "$WILDFLY_BASE/deployments/redoubt.ear"
  wildfly_write_env_file

  rm -f "$WILDFLY_PIDFILE"
  : >"$WILDFLY_CONSOLE"
  (
    wildfly_export_env
    export LAUNCH_JBOSS_IN_BACKGROUND=1
    # setsid: the server gets its own session, so it survives this script and a Ctrl-C in the
    # terminal. The inner shell records its own pid and then execs standalone.sh, so the pid file
    # names standalone.sh whatever setsid does about forking; TERM to it stops the server.
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' wildfly "$WILDFLY_PIDFILE" \
      "$WILDFLY_HOME/bin/standalone.sh" \
      -Djboss.server.base.dir="$WILDFLY_BASE" \
      -Djboss.socket.binding.port-offset="$LAB_PORT_OFFSET" \
      -b 127.0.0.1 -bmanagement 127.0.0.1 \
      </dev/null >>"$WILDFLY_CONSOLE" 2>&1 &
  )
  local i=0
  while [[ ! -s "$WILDFLY_PIDFILE" ]] && ((i++ < 20)); do sleep 0.1; done

  local deadline=$((SECONDS + 120))
  while ((SECONDS < deadline)); do
    [[ "$(wildfly_probe)" == 200 ]] && { lab_ok "ready (pid $(cat "$WILDFLY_PIDFILE"))"; return 0; }
    lab_pid_alive "$WILDFLY_PIDFILE" || { wildfly_show_log; lab_die "WildFly exited during start; see $WILDFLY_CONSOLE"; }
    sleep 1
  done
  wildfly_show_log
  lab_die "WildFly did not answer 200 on $LAB_REDOUBT_URL/api/v1/info within 120 s (still running: 'installer/lab down' stops it)"
}

# server.log survives restarts (log/ is kept with data/): show it only if this start wrote to it,
# else the console, where a JVM that dies before logging leaves its last words.
wildfly_show_log() {
  local log="$WILDFLY_BASE/log/server.log"
  [[ -f "$log" && "$log" -nt "$WILDFLY_PIDFILE" ]] || log="$WILDFLY_CONSOLE"
  printf -- '--- last 30 lines of %s ---\n' "$log" >&2
  tail -n 30 "$log" >&2 || true
}

wildfly_stop() {
  wildfly_vars
  lab_stop_pid "WildFly" "$WILDFLY_PIDFILE" 60
}

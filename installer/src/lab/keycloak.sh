# shellcheck shell=bash
# Keycloak for the lab and the integration tests: Keycloak 26.5.6 in FIPS strict mode (Bouncy Castle
# FIPS in approved-only mode), production mode, HTTPS only, MariaDB, the "redoubt" realm imported from
# installer/src/keycloak/redoubt-realm.json. Sourced after common.sh, never executed.
#
#   $LAB_STATE/keycloak/dist/            the unpacked distribution (four BC FIPS jars and Redoubt's
#                                        redoubt-keycloak-provider.jar in providers/)
#   $LAB_STATE/keycloak/build.options    the build options of the last `kc.sh build` (the marker)
#   $LAB_STATE/keycloak/keycloak.pid     the kc.sh process (setsid; it forwards TERM to the JVM)
#   $LAB_STATE/keycloak/keycloak.log     the current run's console log (the previous one: .log.1)
#   $LAB_STATE/keycloak/jvm.args         JVM trust store options, mode 0600 (a java @argfile, so that
#                                        the store password is never on a command line)

if ! declare -F tls_ensure >/dev/null; then
  # shellcheck source=installer/src/lab/tls.sh
  source "$LAB_SRC/tls.sh"
fi

KEYCLOAK_VERSION="26.5.6"
KEYCLOAK_JAVA_HOME="${KEYCLOAK_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
# A first start creates Keycloak's schema and imports the realm: about a minute on a quiet 2-core
# machine, 262 s measured with a load average of 13; the wait is generous so that a busy host is
# slow rather than failed.
KEYCLOAK_START_TIMEOUT="${KEYCLOAK_START_TIMEOUT:-420}"
KEYCLOAK_REALM="redoubt"
# The Bouncy Castle FIPS jars Keycloak 26.5 is built against (see ENVIRONMENT.md).
KEYCLOAK_BC_FIPS_JARS=(
  "org.bouncycastle:bc-fips:2.1.2"
  "org.bouncycastle:bcpkix-fips:2.1.10"
  "org.bouncycastle:bctls-fips:2.1.22"
  "org.bouncycastle:bcutil-fips:2.1.5"
)
# Build-time options: changing any of them re-runs `kc.sh build` (the marker holds the last set).
KEYCLOAK_BUILD_OPTIONS=(
  --db=mariadb
  --features=fips
  --fips-mode=strict
  --health-enabled=true
  --metrics-enabled=false
)

keycloak_vars() {
  KEYCLOAK_DIR="$LAB_STATE/keycloak"
  KEYCLOAK_HOME="$KEYCLOAK_DIR/dist"
  KEYCLOAK_PIDFILE="$KEYCLOAK_DIR/keycloak.pid"
  KEYCLOAK_LOG="$KEYCLOAK_DIR/keycloak.log"
  KEYCLOAK_MARKER="$KEYCLOAK_DIR/build.options"
  KEYCLOAK_CACERT="$LAB_STATE/tls/server-cert.pem"
  KEYCLOAK_ISSUER="$LAB_KEYCLOAK_URL/realms/$KEYCLOAK_REALM"
  KEYCLOAK_HEALTH_URL="https://localhost:$LAB_KEYCLOAK_MGMT_PORT/health/ready"
}

# keycloak_install: unpacks the distribution (once), adds the BC FIPS jars, runs `kc.sh build` when
# the build options differ from the last build. Idempotent.
keycloak_install() {
  keycloak_vars
  lab_step "Keycloak $KEYCLOAK_VERSION distribution (FIPS strict build)"
  mkdir -p "$KEYCLOAK_DIR"
  if [[ ! -x "$KEYCLOAK_HOME/bin/kc.sh" ]]; then
    local download="$KEYCLOAK_DIR/download"
    tls_mvn_copy "org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" "$download"
    rm -rf "$KEYCLOAK_DIR/unpack"
    mkdir -p "$KEYCLOAK_DIR/unpack"
    unzip -q "$download/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" -d "$KEYCLOAK_DIR/unpack" \
      || lab_die "could not unpack the Keycloak distribution"
    mv "$KEYCLOAK_DIR/unpack/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
    rm -rf "$KEYCLOAK_DIR/unpack" "$download" # the zip stays in the local Maven repository
    rm -f "$KEYCLOAK_MARKER"
    lab_ok "unpacked into $KEYCLOAK_HOME"
  fi

  local gav artifact version
  for gav in "${KEYCLOAK_BC_FIPS_JARS[@]}"; do
    IFS=: read -r _ artifact version <<<"$gav"
    if [[ ! -f "$KEYCLOAK_HOME/providers/$artifact-$version.jar" ]]; then
      tls_mvn_copy "$gav" "$KEYCLOAK_HOME/providers"
      rm -f "$KEYCLOAK_MARKER"
    fi
  done

  # Redoubt's event listener (ldap-sync/keycloak-provider), built here when the reactor has not
  # built it yet. Its checksum is part of the marker: a changed provider needs `kc.sh build` again
  # (the jar is reproducible, so an unchanged one does not).
  local provider="$LAB_REPO_ROOT/ldap-sync/keycloak-provider/target/redoubt-keycloak-provider.jar"
  if [[ ! -f "$provider" ]]; then
    (cd "$LAB_REPO_ROOT" && lab_mvn -DskipTests -Dspotbugs.skip=true package -pl ldap-sync/keycloak-provider) \
      || lab_die "building the Keycloak provider failed"
  fi
  if ! cmp -s "$provider" "$KEYCLOAK_HOME/providers/redoubt-keycloak-provider.jar"; then
    lab_pid_alive "$KEYCLOAK_PIDFILE" && lab_die "the Keycloak provider changed; stop Keycloak first"
    cp "$provider" "$KEYCLOAK_HOME/providers/redoubt-keycloak-provider.jar"
  fi

  local wanted
  wanted="$(printf '%s\n' "$KEYCLOAK_VERSION" "${KEYCLOAK_BUILD_OPTIONS[@]}" \
    "$(sha256sum "$KEYCLOAK_HOME/providers/redoubt-keycloak-provider.jar" | cut -d' ' -f1)")"
  if [[ -f "$KEYCLOAK_MARKER" && "$(cat "$KEYCLOAK_MARKER")" == "$wanted" ]]; then
    lab_ok "already built (${KEYCLOAK_BUILD_OPTIONS[*]})"
    return 0
  fi
  lab_pid_alive "$KEYCLOAK_PIDFILE" && lab_die "Keycloak is running; stop it before rebuilding"
  local started=$SECONDS
  if ! JAVA_HOME="$KEYCLOAK_JAVA_HOME" "$KEYCLOAK_HOME/bin/kc.sh" build "${KEYCLOAK_BUILD_OPTIONS[@]}" \
       >"$KEYCLOAK_DIR/build.log" 2>&1; then
    tail -n 40 "$KEYCLOAK_DIR/build.log" >&2
    lab_die "kc.sh build failed (log: $KEYCLOAK_DIR/build.log)"
  fi
  printf '%s\n' "$wanted" >"$KEYCLOAK_MARKER"
  lab_ok "built in $((SECONDS - started)) s (${KEYCLOAK_BUILD_OPTIONS[*]})"
}

# keycloak_is_up: exit status 0 when the management interface reports ready.
keycloak_is_up() {
  keycloak_vars
  lab_pid_alive "$KEYCLOAK_PIDFILE" || return 1
  [[ -f "$KEYCLOAK_CACERT" ]] || return 1
  curl -sf --max-time 5 --cacert "$KEYCLOAK_CACERT" "$KEYCLOAK_HEALTH_URL" 2>/dev/null | grep -q '"UP"'
}

# keycloak_write_jvm_args: the JVM's default trust store is the lab trust store and nothing else (no
# public CAs): Keycloak itself makes no outgoing TLS connection in the lab except to lab services.
keycloak_write_jvm_args() {
  local file="$KEYCLOAK_DIR/jvm.args"
  (
    umask 077
    printf '%s\n' \
      "-Djavax.net.ssl.trustStore=$LAB_STATE/tls/truststore.bcfks" \
      "-Djavax.net.ssl.trustStoreType=BCFKS" \
      "-Djavax.net.ssl.trustStorePassword=$TLS_STORE_PASSWORD" >"$file"
  )
}

# keycloak_start: starts Keycloak (once) and waits for readiness and the realm's discovery document.
keycloak_start() {
  keycloak_vars
  lab_step "Keycloak on $LAB_KEYCLOAK_URL (FIPS strict, management on 127.0.0.1:$LAB_KEYCLOAK_MGMT_PORT)"
  if keycloak_is_up; then
    lab_ok "already running (pid $(cat "$KEYCLOAK_PIDFILE"))"
  else
    if ! lab_pid_alive "$KEYCLOAK_PIDFILE"; then
      keycloak_launch
    fi
    keycloak_wait_ready
  fi
  keycloak_configure_directory
}

# keycloak_configure_directory: the LDAP federation and its mappers, from the lab's directory
# settings file, by the same command an installation uses (ldap-sync/bin/redoubt-ldap-sync).
# Idempotent: on every start it changes nothing unless the settings or Keycloak drifted. The first
# time, Keycloak imports the directory's users at once (a full sync) rather than on first login.
keycloak_configure_directory() {
  local settings_dir="$LAB_STATE/ldap-sync" settings conf
  settings="$settings_dir/directory.properties"
  lab_step "Keycloak LDAP federation from $settings"
  mkdir -p "$settings_dir"
  shopt -u patsub_replacement 2>/dev/null || true
  conf="$(<"$LAB_SRC/ldap/directory.properties.template")"
  conf="${conf//@KEYCLOAK_URL@/$LAB_KEYCLOAK_URL}"
  conf="${conf//@KEYCLOAK_CA_FILE@/$KEYCLOAK_CACERT}"
  conf="${conf//@LDAP_URL@/$LAB_LDAP_URL}"
  conf="${conf//@BIND_DN@/$LAB_LDAP_BIND_DN}"
  conf="${conf//@BASE_DN@/$LAB_LDAP_BASE_DN}"
  printf '%s\n' "$conf" >"$settings"
  local command="$LAB_REPO_ROOT/ldap-sync/bin/redoubt-ldap-sync"
  if [[ ! -f "$LAB_REPO_ROOT/ldap-sync/target/redoubt-ldap-sync.jar" ]]; then
    (cd "$LAB_REPO_ROOT" && lab_mvn -DskipTests -Dspotbugs.skip=true package -pl ldap-sync) \
      || lab_die "building ldap-sync failed"
  fi
  local output
  # Secrets reach the command through its environment only (the settings name them).
  if ! output="$(JAVA_HOME="$KEYCLOAK_JAVA_HOME" KEYCLOAK_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD" \
        LAB_LDAP_BIND_CREDENTIAL="$LDAP_ADMIN_PASSWORD" \
        "$command" apply --settings "$settings" --sync initial 2>&1)"; then
    printf '%s\n' "$output" >&2
    lab_die "redoubt-ldap-sync could not configure Keycloak's LDAP federation"
  fi
  local line
  while IFS= read -r line; do lab_ok "$line"; done <<<"$output"
}

keycloak_launch() {
  [[ -f "$KEYCLOAK_MARKER" ]] || keycloak_install
  [[ -f "$LAB_STATE/tls/server.bcfks" ]] || tls_ensure
  local port
  for port in "$LAB_KEYCLOAK_HTTPS_PORT" "$LAB_KEYCLOAK_MGMT_PORT"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      lab_die "port $port is taken by another process; pick another --port-offset"
    fi
  done

  # The realm file is imported only when the realm does not exist yet (--import-realm skips it
  # otherwise); the LDAP URL and bind credentials come from the environment at import time.
  mkdir -p "$KEYCLOAK_HOME/data/import"
  cp "$LAB_REPO_ROOT/installer/src/keycloak/redoubt-realm.json" "$KEYCLOAK_HOME/data/import/redoubt-realm.json"
  keycloak_write_jvm_args

  [[ -f "$KEYCLOAK_LOG" ]] && mv -f "$KEYCLOAK_LOG" "$KEYCLOAK_LOG.1"
  local first_start=false
  [[ -f "$KEYCLOAK_DIR/bootstrapped" ]] || first_start=true

  # shellcheck disable=SC2054 # the commas are inside option values
  local args=(
    start --optimized
    --hostname="$LAB_KEYCLOAK_URL"
    --hostname-strict=true
    --http-enabled=false
    --http-host=127.0.0.1
    --https-port="$LAB_KEYCLOAK_HTTPS_PORT"
    --https-key-store-file="$LAB_STATE/tls/server.bcfks"
    --https-key-store-type=BCFKS
    --https-protocols=TLSv1.3,TLSv1.2
    --https-cipher-suites=TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
    --http-management-port="$LAB_KEYCLOAK_MGMT_PORT"
    --db-url="jdbc:mariadb://127.0.0.1:$LAB_MARIADB_PORT/keycloak"
    --db-username=keycloak
    --import-realm
    # Redoubt's event listener (enabled on the realm by the realm file): where hints go, how it
    # signs in (the secret is named, not given: it is in the environment below), whom it trusts.
    --spi-events-listener--redoubt-directory-events--redoubt-url="$LAB_REDOUBT_URL"
    --spi-events-listener--redoubt-directory-events--realm="$KEYCLOAK_REALM"
    --spi-events-listener--redoubt-directory-events--token-url="$KEYCLOAK_ISSUER/protocol/openid-connect/token"
    --spi-events-listener--redoubt-directory-events--client-id=redoubt-directory-events
    --spi-events-listener--redoubt-directory-events--client-secret=env:REDOUBT_DIRECTORY_EVENTS_SECRET
    --spi-events-listener--redoubt-directory-events--ca-file="$KEYCLOAK_CACERT"
    # One node: no JGroups listeners (7800, 57800) and no discovery through the database; in 26.5
    # this is a run-time option (given to `build` it is silently not persisted).
    --cache=local
    --log=console
    --log-console-color=false
    # BCJSSE logs every accepted connection at INFO.
    --log-level=INFO,org.bouncycastle.jsse:WARN
  )
  (
    # Secrets go through the environment (readable only by the owner in /proc), never argv.
    export JAVA_HOME="$KEYCLOAK_JAVA_HOME"
    export JAVA_OPTS_APPEND="@$KEYCLOAK_DIR/jvm.args"
    export KC_DB_PASSWORD="$KEYCLOAK_DB_PASSWORD"
    export KC_HTTPS_KEY_STORE_PASSWORD="$TLS_STORE_PASSWORD"
    # The realm import reads the directory-sync client's secret from here; the LDAP federation
    # is not in the realm file but configured by ldap-sync (keycloak_configure_directory).
    export LAB_DIRECTORY_SYNC_SECRET="$DIRECTORY_SYNC_SECRET"
    # The events client's secret: for the realm import, and for the listener at run time.
    export LAB_DIRECTORY_EVENTS_SECRET="$DIRECTORY_EVENTS_SECRET"
    export REDOUBT_DIRECTORY_EVENTS_SECRET="$DIRECTORY_EVENTS_SECRET"
    if [[ "$first_start" == true ]]; then
      export KC_BOOTSTRAP_ADMIN_USERNAME=admin
      export KC_BOOTSTRAP_ADMIN_PASSWORD="$KEYCLOAK_ADMIN_PASSWORD"
    fi
    cd "$KEYCLOAK_DIR" || exit 1
    # setsid: its own session, so the caller's terminal signals do not reach it; the pid file holds
    # the kc.sh process, which forwards TERM to the JVM and waits for it.
    # shellcheck disable=SC2016 # $$, $0 and $@ belong to the inner shell
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KEYCLOAK_PIDFILE" \
      "$KEYCLOAK_HOME/bin/kc.sh" "${args[@]}" >"$KEYCLOAK_LOG" 2>&1 </dev/null &
  )
  local i
  for ((i = 0; i < 50; i++)); do [[ -s "$KEYCLOAK_PIDFILE" ]] && break; sleep 0.1; done
  KEYCLOAK_LAUNCHED_AT=$SECONDS
  lab_ok "started (pid $(cat "$KEYCLOAK_PIDFILE" 2>/dev/null), log $KEYCLOAK_LOG)"
}

keycloak_wait_ready() {
  local started="${KEYCLOAK_LAUNCHED_AT:-$SECONDS}"
  while ((SECONDS - started < KEYCLOAK_START_TIMEOUT)); do
    if ! lab_pid_alive "$KEYCLOAK_PIDFILE"; then
      tail -n 60 "$KEYCLOAK_LOG" >&2
      rm -f "$KEYCLOAK_PIDFILE"
      lab_die "Keycloak exited during start (log: $KEYCLOAK_LOG)"
    fi
    if keycloak_is_up; then break; fi
    sleep 1
  done
  if ! keycloak_is_up; then
    tail -n 60 "$KEYCLOAK_LOG" >&2
    lab_die "Keycloak not ready after ${KEYCLOAK_START_TIMEOUT}s (log: $KEYCLOAK_LOG)"
  fi

  local discovery issuer
  discovery="$(curl -sf --max-time 10 --cacert "$KEYCLOAK_CACERT" \
    "$KEYCLOAK_ISSUER/.well-known/openid-configuration")" \
    || { tail -n 60 "$KEYCLOAK_LOG" >&2; lab_die "realm $KEYCLOAK_REALM has no discovery document (import failed?)"; }
  issuer="$(printf '%s' "$discovery" | sed -n 's/.*"issuer":"\([^"]*\)".*/\1/p')"
  [[ "$issuer" == "$KEYCLOAK_ISSUER" ]] || lab_die "unexpected issuer '$issuer' (wanted $KEYCLOAK_ISSUER)"
  grep -q 'Approved Mode' "$KEYCLOAK_LOG" || lab_warn "the log does not show BCFIPS approved mode"
  touch "$KEYCLOAK_DIR/bootstrapped"
  lab_ok "ready in $((SECONDS - started)) s; issuer $issuer"
}

# keycloak_stop: TERM to kc.sh (forwarded to the JVM), KILL after 60 s.
keycloak_stop() {
  keycloak_vars
  lab_step "Keycloak: stop"
  if lab_pid_alive "$KEYCLOAK_PIDFILE"; then
    local sid
    sid="$(cat "$KEYCLOAK_PIDFILE")"
    lab_stop_pid Keycloak "$KEYCLOAK_PIDFILE" 60
    # kc.sh forwards TERM to the JVM; had it been killed instead, the JVM would be left over in the
    # session that setsid made for it (session id = that pid).
    if pgrep -s "$sid" >/dev/null 2>&1; then
      lab_warn "killing what is left of Keycloak's session $sid"
      pkill -KILL -s "$sid" 2>/dev/null || true
    fi
  else
    rm -f "$KEYCLOAK_PIDFILE"
    lab_ok "not running"
  fi
}

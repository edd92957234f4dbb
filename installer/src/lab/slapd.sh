# shellcheck shell=bash
# The lab's OpenLDAP directory: slapd from a generated slapd.conf (no cn=config), a demo directory
# loaded once. Sourced by installer/lab.

slapd_vars() {
  SLAPD_DIR="$LAB_STATE/slapd"
  SLAPD_CONF="$SLAPD_DIR/slapd.conf"
  SLAPD_PIDFILE="$SLAPD_DIR/slapd.pid"
  SLAPD_LOG="$SLAPD_DIR/slapd.log"
  SLAPD_DEMO_MARKER="$SLAPD_DIR/demo-loaded"
  # slapd drops root privileges to the Debian package's account when it can.
  if ((EUID == 0)) && id openldap >/dev/null 2>&1; then SLAPD_USER=openldap; else SLAPD_USER=""; fi
}

# slapd_hash SECRET: a salted SHA-512 hash; the secret goes through a pipe, never through argv.
slapd_hash() {
  slappasswd -o module-path=/usr/lib/ldap -o module-load=pw-sha2 -h '{SSHA512}' -T <(printf '%s' "$1")
}

slapd_is_up() {
  slapd_vars
  lab_pid_alive "$SLAPD_PIDFILE" &&
    ldapsearch -x -LLL -o nettimeout=2 -H "$LAB_LDAP_URL" -b "" -s base namingContexts >/dev/null 2>&1
}

# The conf is regenerated on every start from the template and secrets.env, so that a changed
# secret or template takes effect on the next start; hashing costs milliseconds.
slapd_write_conf() {
  local conf
  # bash 5.2 would expand '&' in a replacement to the matched text; paths are taken literally.
  shopt -u patsub_replacement 2>/dev/null || true
  conf="$(<"$LAB_SRC/ldap/slapd.conf.template")"
  conf="${conf//@SLAPD_DIR@/$SLAPD_DIR}"
  conf="${conf//@BASE_DN@/$LAB_LDAP_BASE_DN}"
  conf="${conf//@ROOT_DN@/$LAB_LDAP_BIND_DN}"
  conf="${conf//@ROOT_PW_HASH@/$(slapd_hash "$LDAP_ADMIN_PASSWORD")}"
  (umask 077 && printf '%s\n' "$conf" >"$SLAPD_CONF.new")
  mv "$SLAPD_CONF.new" "$SLAPD_CONF"
  slaptest -Q -u -f "$SLAPD_CONF" || lab_die "slaptest rejected $SLAPD_CONF"
}

slapd_start() {
  slapd_vars
  lab_step "slapd on $LAB_LDAP_URL ($LAB_LDAP_BASE_DN)"
  if slapd_is_up; then
    lab_ok "already running (pid $(cat "$SLAPD_PIDFILE"))"
  else
    if lab_port_open "$LAB_LDAP_PORT"; then
      lab_die "port $LAB_LDAP_PORT is taken by another process; pick another --port-offset"
    fi
    mkdir -p "$SLAPD_DIR/data"
    slapd_write_conf
    rm -f "$SLAPD_PIDFILE"
    local user=()
    if [[ -n "$SLAPD_USER" ]]; then
      chown -R "$SLAPD_USER:$SLAPD_USER" "$SLAPD_DIR"
      user=(-u "$SLAPD_USER" -g "$SLAPD_USER")
    fi
    # slapd detaches by itself and writes its own pid file (pidfile in slapd.conf); what it says
    # before detaching, e.g. a config error, lands in the log.
    slapd -f "$SLAPD_CONF" -h "ldap://127.0.0.1:$LAB_LDAP_PORT/" "${user[@]}" >>"$SLAPD_LOG" 2>&1 ||
      { tail -n 20 "$SLAPD_LOG" >&2; lab_die "slapd failed to start; see $SLAPD_LOG"; }
    local i
    for ((i = 0; i < 40; i++)); do slapd_is_up && break; sleep 0.25; done
    slapd_is_up || lab_die "slapd did not answer on $LAB_LDAP_URL; see $SLAPD_LOG"
    lab_ok "started (pid $(cat "$SLAPD_PIDFILE"))"
  fi
  slapd_load_demo
}

# The demo directory goes in once: tests add, change and delete entries afterwards, and a second
# `up` must not undo that. The marker records that the load completed.
slapd_load_demo() {
  if [[ -f "$SLAPD_DEMO_MARKER" ]]; then
    lab_ok "demo directory already loaded"
    return 0
  fi
  local ldif pwfile line rc=0
  ldif="$(mktemp "$SLAPD_DIR/demo.XXXXXX.ldif")"
  pwfile="$(mktemp "$SLAPD_DIR/bind.XXXXXX")"
  # One hash per user: each gets its own salt.
  while IFS= read -r line; do
    if [[ "$line" == "userPassword: @DEMO_PASSWORD_HASH@" ]]; then
      line="userPassword: $(slapd_hash "$LAB_DEMO_PASSWORD")"
    fi
    printf '%s\n' "$line"
  done <"$LAB_SRC/ldap/demo.ldif" >"$ldif"
  # ldapadd reads the bind password from a file (-y), never from argv; no trailing newline allowed.
  printf '%s' "$LDAP_ADMIN_PASSWORD" >"$pwfile"
  # -c: entries already present (an interrupted earlier load) are skipped, not fatal.
  ldapadd -x -c -H "$LAB_LDAP_URL" -D "$LAB_LDAP_BIND_DN" -y "$pwfile" -f "$ldif" >>"$SLAPD_LOG" 2>&1 || rc=$?
  rm -f "$ldif" "$pwfile"
  # 68 = already exists: fine with -c after an interrupted load.
  if ((rc != 0 && rc != 68)); then
    lab_die "loading the demo directory failed (ldapadd exit $rc); see $SLAPD_LOG"
  fi
  touch "$SLAPD_DEMO_MARKER"
  lab_ok "demo directory loaded: alice bob carol dave erin ann mallory; groups redoubt-users redoubt-admins ops legal"
}

slapd_stop() {
  slapd_vars
  lab_stop_pid "slapd" "$SLAPD_PIDFILE" 30
}

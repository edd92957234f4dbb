/**
 * The JSON bodies of the REST API, version 1: one definition used by the server (JSON-B) and by the
 * client SDK (Jackson). Records only; a field is never removed or renamed within v1.
 */
package io.redoubt.protocol.api;

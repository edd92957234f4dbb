/** {@code /api/v1/devices}: enroll, list and revoke devices. */
package io.redoubt.web.devices;

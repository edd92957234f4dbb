package io.redoubt.devices;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A completed enrollment: the device, its certificate chain (device first, then the CA), and the
 * transparency-log leaf that records the issue.
 */
public record Enrollment(Device device, List<X509Certificate> chain, long logIndex) {}

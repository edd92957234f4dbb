package io.redoubt.client;

import java.net.URI;
import java.time.Duration;

/**
 * What a person must do to approve a device sign-in (OAuth 2.0 device authorization grant, RFC
 * 8628): open {@code verificationUri} in a browser, where they sign in as usual (with the agency's
 * MFA), and confirm {@code userCode}.
 *
 * @param verificationUriComplete the same page with the code filled in; may be null
 */
public record DeviceAuthorization(
    URI verificationUri, URI verificationUriComplete, String userCode, Duration expiresIn) {}
